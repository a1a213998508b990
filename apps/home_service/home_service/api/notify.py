"""Payment provider webhooks. Guests by nature: trust comes from the signature over the raw body,
never from a session or from `form_dict` (which Frappe sanitizes for guests)."""

import json

import frappe

from home_service.billing.gateways import ALIPAY, WECHAT_PAY
from home_service.billing.notifications import handle

NOTIFY_PATH = "/api/method/home_service.api.notify."
GATEWAYS = {"wechatpay": WECHAT_PAY, "alipay": ALIPAY}
# how Frappe fails on a body it cannot turn into arguments (not JSON, not UTF-8, a JSON scalar)
BODY_FAULTS = ("JSONDecodeError", "UnicodeDecodeError", "ValidationError")


@frappe.whitelist(allow_guest=True, methods=["POST"], xss_safe=True)
def wechatpay():
	return _handle(WECHAT_PAY)


@frappe.whitelist(allow_guest=True, methods=["POST"], xss_safe=True)
def alipay():
	return _handle(ALIPAY)


def _handle(gateway_name: str):
	frappe.flags.hs_notification_handled = True
	return handle(gateway_name, dict(frappe.request.headers), frappe.request.get_data())


def answer_unread_body(response, request) -> None:
	"""`after_request` hook. Frappe parses a JSON body before any method runs, so a webhook whose body
	is not JSON (even an unsigned probe) never reached `handle` and got Frappe's 500 or 417. It is
	handed to the gateway here like any other: the gateway rejects it in its protocol's words (WeChat
	Pay: 400 {"code": "FAIL"}), the attempt is logged in HS Payment Notification, nothing else changes."""
	on_notify = request.path.startswith(NOTIFY_PATH)
	gateway_name = GATEWAYS.get(request.path.removeprefix(NOTIFY_PATH)) if on_notify else None
	if gateway_name is None or request.method != "POST" or response is None or response.status_code < 400:
		return
	if frappe.flags.hs_notification_handled or _exc_type(response) not in BODY_FAULTS:
		return
	frappe.db.rollback()
	if not (getattr(frappe.local, "session", None) or {}).get("user"):
		frappe.set_user("Guest")  # Frappe failed before it made the session
	answer = _handle(gateway_name)
	frappe.db.commit()  # the request's own commit is behind us: keep the log row
	response.status_code = answer.status_code
	response.set_data(answer.get_data())
	response.headers["Content-Type"] = answer.headers.get("Content-Type", "text/plain")


def _exc_type(response) -> str:
	try:
		body = json.loads(response.get_data(as_text=True) or "{}")
	except ValueError:
		return ""
	return (body.get("exc_type") or "").split(".")[-1] if isinstance(body, dict) else ""
