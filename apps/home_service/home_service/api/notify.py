"""Payment provider webhooks. Guests by nature: trust comes from the signature over the raw body,
never from a session or from `form_dict` (which Frappe sanitizes for guests)."""

import frappe

from home_service.billing.gateways import ALIPAY, WECHAT_PAY
from home_service.billing.notifications import handle


@frappe.whitelist(allow_guest=True, methods=["POST"], xss_safe=True)
def wechatpay():
	return handle(WECHAT_PAY, dict(frappe.request.headers), frappe.request.get_data())


@frappe.whitelist(allow_guest=True, methods=["POST"], xss_safe=True)
def alipay():
	return handle(ALIPAY, dict(frappe.request.headers), frappe.request.get_data())
