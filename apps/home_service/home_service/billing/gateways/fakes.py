"""Point this process at local WeChat Pay and Alipay fakes (integrations/fakes) for a `with` block.

	with fake_wechatpay() as wechatpay, fake_alipay_pay() as alipay:
		start_payment(booking, "WeChat Pay")
		...

Used where the real payment services must run without a provider: `bench hs-pay-flow`, the demo
loader (which replays the demo city's payments, refunds and payouts through them) and the tests.
Each helper starts a fake on 127.0.0.1, sets its base URL in `frappe.conf` (this process only) and its
credentials in HS Payment Settings / HS Settings, and puts both back on exit. The settings are saved
in the caller's transaction: a test rolls them back; a caller that commits meanwhile (the demo
loader) has them restored by the exit.
"""

from contextlib import contextmanager

import frappe

from home_service.integrations.fakes import AlipayFake, WeChatPayFake


@contextmanager
def site_conf(**values):
	"""Site config keys for this process only (site_config.json is not touched)."""
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
def settings_changed(doctype: str, **values):
	"""Fields of a Single DocType set for the block and restored after it (a Password field's previous
	value reads as its mask, which saving again leaves as it was)."""
	doc = frappe.get_doc(doctype)
	previous = {key: doc.get(key) for key in values}
	doc.update(values)
	doc.save(ignore_permissions=True)
	try:
		yield
	finally:
		doc = frappe.get_doc(doctype)
		doc.update(previous)
		doc.save(ignore_permissions=True)


@contextmanager
def fake_wechatpay():
	"""WeChat Pay pointed at a local fake, with the fake's merchant keys in HS Payment Settings."""
	with WeChatPayFake() as fake, site_conf(hs_wechatpay_base=fake.url, hs_gateway_timeout=2):
		with settings_changed("HS Payment Settings", notify_base_url="http://127.0.0.1", **fake.settings()):
			yield fake


@contextmanager
def fake_alipay():
	"""Alipay's open platform (login and payments share it) with the fake's keys in HS Settings."""
	with AlipayFake() as fake, site_conf(hs_alipay_gateway=fake.gateway):
		with settings_changed(
			"HS Settings",
			alipay_appid=fake.appid,
			alipay_private_key=fake.app_keys.private_pem,
			alipay_public_key=fake.alipay_keys.public_base64,
		):
			yield fake


@contextmanager
def fake_alipay_pay():
	"""Alipay (login keys in HS Settings) plus its seller id in HS Payment Settings."""
	with fake_alipay() as fake:
		with settings_changed("HS Payment Settings", alipay_enabled=1, alipay_seller_id=fake.seller_id):
			yield fake
