"""Payment gateways by name, from the `hs_payment_gateways` hook (a plugin app may add its own)."""

import frappe
from frappe import _

from home_service.billing.gateways.base import GatewayNotConfiguredError, PaymentGateway

WECHAT_PAY = "WeChat Pay"
ALIPAY = "Alipay"


def gateway_names() -> list[str]:
	return list(frappe.get_hooks("hs_payment_gateways") or {})


def get_gateway(name: str) -> PaymentGateway:
	paths = frappe.get_hooks("hs_payment_gateways") or {}
	if name not in paths:
		frappe.throw(_("Unknown payment method: {0}").format(name), GatewayNotConfiguredError)
	return frappe.get_attr(paths[name][-1])()
