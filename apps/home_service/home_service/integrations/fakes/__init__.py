"""Local fakes of the providers the app calls, speaking their real protocols (stdlib + cryptography).

Used by the Frappe runner tests in the app, through /tests/fakes by the pytest HTTP suites, and in
process by `bench hs-pay-flow` and the demo loader (billing/gateways/fakes.py points a site at them),
so this package must never import frappe.
"""

from .alipay import AlipayFake
from .keys import KeyPair, new_keypair, sign_sha256_rsa, verify_sha256_rsa
from .server import FakeServer, Request, Response
from .sms import AliyunSmsFake, SmsFake, TencentSmsFake
from .wechat import WeChatFake
from .wechatpay import Identity as WeChatPayIdentity
from .wechatpay import WeChatPayFake

__all__ = [
	"AlipayFake",
	"AliyunSmsFake",
	"FakeServer",
	"KeyPair",
	"Request",
	"Response",
	"SmsFake",
	"TencentSmsFake",
	"WeChatFake",
	"WeChatPayFake",
	"WeChatPayIdentity",
	"new_keypair",
	"sign_sha256_rsa",
	"verify_sha256_rsa",
]
