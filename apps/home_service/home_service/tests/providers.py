"""Frappe-side test helpers: start a provider fake and point this site at it for the `with` block.

	with fake_wechat() as wechat:
		code = wechat.login_code()
		...

Each helper sets the base URL in `frappe.conf` (this process only) and the credentials in HS Settings
(rolled back with the test's transaction), and restores both on exit.
"""

from contextlib import contextmanager

import frappe
from frappe.tests.utils import change_settings

from home_service.tests.fakes import AlipayFake, AliyunSmsFake, TencentSmsFake, WeChatFake, WeChatPayFake


@contextmanager
def site_conf(**values):
	previous = {key: frappe.conf.get(key) for key in values}
	frappe.conf.update(values)
	try:
		yield
	finally:
		for key, value in previous.items():
			if value is None:
				frappe.conf.pop(key, None)
			else:
				frappe.conf[key] = value


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
def fake_alipay():
	with AlipayFake() as fake, site_conf(hs_alipay_gateway=fake.gateway):
		with change_settings(
			"HS Settings",
			alipay_appid=fake.appid,
			alipay_private_key=fake.app_keys.private_pem,
			alipay_public_key=fake.alipay_keys.public_base64,
		):
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


@contextmanager
def fake_wechatpay():
	"""WeChat Pay pointed at a local fake, with the fake's merchant keys in HS Payment Settings."""
	with WeChatPayFake() as fake, site_conf(hs_wechatpay_base=fake.url, hs_gateway_timeout=2):
		with change_settings("HS Payment Settings", notify_base_url="http://127.0.0.1", **fake.settings()):
			yield fake


@contextmanager
def fake_alipay_pay():
	"""Alipay (login keys in HS Settings) plus its seller id in HS Payment Settings."""
	with fake_alipay() as fake:
		with change_settings("HS Payment Settings", alipay_enabled=1, alipay_seller_id=fake.seller_id):
			yield fake
