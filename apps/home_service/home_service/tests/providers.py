"""Frappe-side test helpers: start a provider fake and point this site at it for the `with` block.

	with fake_wechat() as wechat:
		code = wechat.login_code()
		...

Each helper sets the base URL in `frappe.conf` (this process only) and the credentials in HS Settings
(rolled back with the test's transaction), and restores both on exit. The payment fakes live in
billing/gateways/fakes.py (hs-pay-flow and the demo loader use them too) and are re-exported here.
"""

from contextlib import contextmanager

import frappe
from frappe.tests.utils import change_settings

from home_service.billing.gateways.fakes import fake_alipay, fake_alipay_pay, fake_wechatpay, site_conf
from home_service.integrations.fakes import AliyunSmsFake, TencentSmsFake, WeChatFake

__all__ = [
	"fake_alipay",
	"fake_alipay_pay",
	"fake_sms",
	"fake_wechat",
	"fake_wechatpay",
	"site_conf",
	"sms_provider",
]


@contextmanager
def sms_provider(name: str):
	"""Select any provider, even one only a test registers (no Select validation on this path)."""
	previous = frappe.db.get_single_value("HS Settings", "sms_provider")
	frappe.db.set_single_value("HS Settings", "sms_provider", name)
	frappe.clear_document_cache("HS Settings", "HS Settings")
	try:
		yield
	finally:
		frappe.db.set_single_value("HS Settings", "sms_provider", previous)
		frappe.clear_document_cache("HS Settings", "HS Settings")


@contextmanager
def fake_wechat():
	with WeChatFake() as fake, site_conf(hs_wechat_api_base=fake.url):
		with change_settings("HS Settings", wechat_appid=fake.appid, wechat_secret=fake.secret):
			yield fake


@contextmanager
def fake_sms(provider: str = "Aliyun"):
	fake_class, conf_key = {
		"Aliyun": (AliyunSmsFake, "hs_aliyun_sms_endpoint"),
		"Tencent": (TencentSmsFake, "hs_tencent_sms_endpoint"),
	}[provider]
	with fake_class() as fake, site_conf(**{conf_key: fake.url}):
		with change_settings(
			"HS Settings",
			sms_provider=provider,
			sms_sign_name="上门服务",
			sms_login_template="SMS_0001" if provider == "Aliyun" else "1234567",
			sms_access_key_id=fake.key_id,
			sms_access_key_secret=fake.key_secret,
			sms_app_id=getattr(fake, "sdk_app_id", None),
		):
			yield fake
