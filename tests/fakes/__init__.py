"""Provider fakes for the HTTP suites: the very code the app's own tests use
(apps/home_service/home_service/integrations/fakes), imported here without Frappe."""

import sys
from pathlib import Path

APP_DIR = Path(__file__).resolve().parents[2] / "apps" / "home_service"
if str(APP_DIR) not in sys.path:
	sys.path.insert(0, str(APP_DIR))

from home_service.integrations.fakes import (
	AlipayFake,
	AliyunSmsFake,
	FakeServer,
	KeyPair,
	SmsFake,
	TencentSmsFake,
	WeChatFake,
	WeChatPayFake,
	WeChatPayIdentity,
	new_keypair,
)

__all__ = [
	"AlipayFake",
	"AliyunSmsFake",
	"FakeServer",
	"KeyPair",
	"SmsFake",
	"TencentSmsFake",
	"WeChatFake",
	"WeChatPayFake",
	"WeChatPayIdentity",
	"new_keypair",
]
