"""Payment gateways by name, from the `hs_payment_gateways` hook (a plugin app may add its own)."""

import frappe
from frappe import _

from home_service.billing.gateways.base import GatewayNotConfiguredError, PaymentGateway
from home_service.utils import extensions

WECHAT_PAY = "WeChat Pay"
ALIPAY = "Alipay"
HOOK = "hs_payment_gateways"
OFFLINE = "Offline"  # cash, bank transfer, POS: recorded by staff, approved by finance (gateways/offline.py)


def gateway_names() -> list[str]:
	return extensions.names(HOOK)


def checkout_gateway_names() -> list[str]:
	"""Registered gateways a customer may pay with in the mini-program."""
	return [name for name in gateway_names() if gateway_class(name).customer_checkout]


def gateway_class(name: str) -> type[PaymentGateway]:
	"""The registered class, not built: enough to find accounts without the provider's credentials."""
	return frappe.get_attr(gateway_path(name))


def gateway_path(name: str) -> str:
	return extensions.path_of(
		HOOK, name, exc=GatewayNotConfiguredError, message=_("Unknown payment method: {0}").format(name)
	)


def payout_gateway_names() -> list[str]:
	"""Registered gateways that can send money out (withdrawals, recycling transfers)."""
	return [name for name in gateway_names() if gateway_class(name).can_transfer()]


_built: dict[tuple, PaymentGateway] = {}
CONF_KEYS = ("hs_wechatpay_base", "hs_alipay_gateway", "hs_gateway_timeout", "hs_dev_cashier")


def get_gateway(name: str) -> PaymentGateway:
	"""The gateway, built once per process for the current settings.

	Building one parses the merchant's RSA key, which OpenSSL validates in tens of milliseconds; a
	webhook or a pay call should not pay for that every time. Saving either settings DocType (or
	changing the site config URLs) gives a new key, so a changed credential is used at once.
	"""
	path = gateway_path(name)
	key = (
		frappe.local.site,
		name,
		path,
		str(frappe.get_cached_doc("HS Payment Settings").modified),
		str(frappe.get_cached_doc("HS Settings").modified),
		*(str(frappe.conf.get(conf)) for conf in CONF_KEYS),
	)
	gateway = _built.get(key)
	if gateway is None:
		gateway = frappe.get_attr(path)()
		if len(_built) > 32:
			_built.clear()
		_built[key] = gateway
	return gateway
