"""Payment webhooks: verify, record, apply once, answer the way the provider expects.

Every call leaves an HS Payment Notification row (what arrived and what we did); rejections return a
response instead of raising, so Frappe commits that row and forged or mismatched traffic is visible
to finance. Nothing but a
verified, matching notification changes a payment, and each notification id is applied once.
"""

import json

from werkzeug.wrappers import Response

import frappe
from frappe.utils import now_datetime

from home_service.billing.actors import acting_for
from home_service.billing.gateways import get_gateway
from home_service.billing.gateways.base import GatewayNotConfiguredError, Notification, NotificationRejected
from home_service.billing.outcome import Outcome
from home_service.billing.payments import apply_trade
from home_service.billing.refunds import apply_refund
from home_service.utils import extensions
from home_service.utils.db import retry_on_deadlock

LOG = "HS Payment Notification"


def handle(gateway_name: str, headers: dict, body: bytes):
	try:
		gateway = get_gateway(gateway_name)
	except GatewayNotConfiguredError:
		return _plain_failure()
	try:
		notification = gateway.parse_notification(headers, body)
	except NotificationRejected as rejected:
		_log(gateway_name, "Rejected", rejected.reason, notification_id=None)
		return gateway.acknowledge(False, rejected.reason)
	# verified: what it changes is the provider's doing, and the activity says so (billing/actors.py)
	with acting_for(gateway_name):
		if frappe.db.exists(LOG, {"notification_id": notification.notification_id, "outcome": "Applied"}):
			_log(gateway_name, "Duplicate", "notification already applied", notification=notification)
			return gateway.acknowledge(True)

		def apply_and_log() -> Outcome:
			outcome = _apply(gateway_name, notification)
			_log(
				gateway_name,
				outcome.result,
				outcome.reason,
				notification=notification,
				payment=outcome.payment,
			)
			return outcome

		outcome = retry_on_deadlock(apply_and_log)
	return gateway.acknowledge(outcome.result in ("Applied", "Duplicate", "Ignored"), outcome.reason)


def _apply(gateway_name: str, notification: Notification) -> Outcome:
	if notification.trade:
		return apply_trade(gateway_name, notification.trade, source="notification")
	if notification.refund:
		applied = apply_refund(notification.refund, notified=True)
		return Outcome(_result(applied.result), f"refund {applied.result}: {applied.reason}", applied.payment)
	if notification.transfer:
		# each handler answers for its own out_bill_no (withdrawals, recycling payouts) and None otherwise
		applied = extensions.first("hs_on_transfer_notification", gateway_name, notification.transfer)
		if applied is not None:
			return Outcome(_result(applied.result), f"transfer {applied.result}: {applied.reason}")
		return Outcome("Review", "unknown out_bill_no")
	return Outcome("Ignored", "nothing to apply")


def _result(state: str) -> str:
	"""The log outcome of a refund or transfer state: Review for a mismatch or a key we never sent."""
	if state == "Duplicate":
		return "Duplicate"
	if state in ("Review", "Unknown", "Pending Approval", "Rejected"):
		return "Review"
	return "Applied"


def _log(
	gateway_name,
	outcome,
	reason,
	notification: Notification | None = None,
	notification_id=None,
	payment=None,
):
	detail, reference, refund = {}, None, None
	if notification:
		notification_id = notification.notification_id
		item = notification.trade or notification.refund or notification.transfer
		# who paid or was paid is personal data: never copied into the log
		detail = {k: v for k, v in vars(item).items() if k not in ("payer_ref", "payee_ref")} if item else {}
		if notification.refund:
			reference = notification.refund.out_refund_no
			refund = frappe.db.get_value("HS Refund", {"out_refund_no": reference}, "name")
		elif notification.transfer:
			reference = notification.transfer.out_bill_no
		elif notification.trade:
			reference = notification.trade.out_trade_no
	row = frappe.get_doc(
		{
			"doctype": LOG,
			"gateway": gateway_name,
			# only the first applied row keeps the id (unique index); duplicates and rejections refer to it
			"notification_id": _clip(notification_id) if outcome == "Applied" else None,
			"event_type": _clip(notification.event_type) if notification else None,
			"outcome": outcome,
			"received_on": now_datetime(),
			"reference": _clip(reference or (notification_id if notification else None)),
			"payment": payment,
			"refund": refund,
			"reason": reason,
			"detail": json.dumps(detail, ensure_ascii=False) if detail else None,
		}
	)
	row.insert(ignore_permissions=True)


def _clip(value: str | None) -> str | None:
	"""What a provider sent, cut to a Data column (140): a signed but absurd field is logged, not a 500."""
	return value[:140] if isinstance(value, str) else value


def _plain_failure() -> Response:
	return Response(
		json.dumps({"code": "FAIL", "message": "not configured"}), status=503, content_type="application/json"
	)
