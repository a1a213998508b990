"""Money back to customers: bounded by what was paid, keyed before the provider is called.

A refund row is created under the booking lock with its out_refund_no; the provider is called only
after that commits (a job), and every retry — after a timeout, a 5xx or a FAILED answer — reuses the
same out_refund_no, so the provider refunds at most once. Staff refunds wait for a finance approval
by someone other than the requester.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Coalesce, Sum
from frappe.utils import now_datetime

from home_service.billing import postings
from home_service.billing.accounts import Account
from home_service.billing.gateways import get_gateway
from home_service.billing.gateways.base import GatewayError, Refund, RefundState, field_mismatch
from home_service.billing.keys import mint
from home_service.billing.outcome import Outcome
from home_service.booking.lifecycle import Status
from home_service.booking.stored_text import stored
from home_service.utils import extensions
from home_service.utils.money import money, to_fen

REFUND = "HS Refund"
APPROVERS = ("HS Finance", "System Manager")
MAX_ATTEMPTS = 10


class RefundLimitError(frappe.ValidationError):
	http_status_code = 409


class RefundStateError(frappe.ValidationError):
	http_status_code = 409


def refundable_fen(payment_name: str) -> int:
	"""What is left of a payment after every refund that is not rejected (pending ones included)."""
	refund = frappe.qb.DocType(REFUND)
	taken = (
		frappe.qb.from_(refund)
		.select(Coalesce(Sum(refund.amount_fen), 0))
		.where((refund.payment == payment_name) & (refund.status != "Rejected"))
		.for_update()
		.run()[0][0]
	)
	paid = frappe.db.get_value("HS Payment", payment_name, "amount_fen") or 0
	return int(paid) - int(taken)


def create_refund(booking, payment, amount_fen: int, kind: str, reason: str, needs_approval: bool = False):
	"""Record a refund of `payment` (the caller holds the booking lock); the provider is called later."""
	amount_fen = int(amount_fen)
	if amount_fen <= 0:
		frappe.throw(_("The refund amount must be positive."), RefundLimitError)
	if amount_fen > refundable_fen(payment.name):
		frappe.throw(
			_("A refund of {0} would exceed what is left of the payment ({1}).").format(
				_yuan(amount_fen), _yuan(refundable_fen(payment.name))
			),
			RefundLimitError,
		)
	refund = frappe.get_doc(
		{
			"doctype": REFUND,
			"booking": booking.name,
			"payment": payment.name,
			"customer": booking.customer,
			"kind": kind,
			"status": "Pending Approval" if needs_approval else "Processing",
			"amount": money(amount_fen / 100),
			"amount_fen": amount_fen,
			"currency": "CNY",
			"out_refund_no": mint("RF"),
			"reason": reason,
			"requested_by": frappe.session.user,
		}
	)
	refund.insert(ignore_permissions=True)
	if not needs_approval:
		enqueue_submit(refund.name)
	return refund


def enqueue_submit(refund_name: str) -> None:
	frappe.enqueue(
		"home_service.billing.refunds.submit_refund",
		refund_name=refund_name,
		queue="short",
		job_id=f"hs-refund::{refund_name}",
		deduplicate=True,
		enqueue_after_commit=True,
	)


def paid_payments(booking: str) -> list:
	"""The booking's captured payments, read with a lock (the caller holds the booking row)."""
	return frappe.db.get_values(
		"HS Payment",
		{"booking": booking, "status": "Paid"},
		"name",
		as_dict=True,
		order_by="creation asc",
		for_update=True,
	)


def on_booking_cancelled(booking, fee) -> None:
	"""hs_on_booking_cancelled: refund what was paid minus the fee the policy keeps."""
	fee_fen = to_fen(fee)
	paid = frappe.get_all(
		"HS Payment",
		filters={"booking": booking.name, "status": "Paid"},
		fields=["name"],
		order_by="creation asc",
	)
	if not paid:
		for row in frappe.get_all(
			"HS Payment", filters={"booking": booking.name, "status": "Created"}, pluck="name"
		):
			frappe.enqueue("home_service.billing.jobs.close_payment", payment=row, enqueue_after_commit=True)
		return
	kept = 0
	for row in paid:
		payment = frappe.get_doc("HS Payment", row.name)
		left = refundable_fen(payment.name)
		keep = min(left, fee_fen - kept)
		kept += keep
		if left - keep > 0:
			create_refund(
				booking,
				payment,
				left - keep,
				kind="Cancellation",
				reason=booking.cancel_reason or _("Cancelled"),
			)
	if kept:
		postings.cancellation_fee_kept(booking, kept)


def request_staff_refund(booking_name: str, amount, reason: str):
	"""A partial or full refund asked for by staff; it waits for approval."""
	if not (reason or "").strip():
		frappe.throw(_("Give a reason for the refund."))
	booking = frappe.get_doc("HS Booking", booking_name, for_update=True)
	payment = frappe.get_all(
		"HS Payment",
		filters={"booking": booking.name, "status": "Paid"},
		pluck="name",
		order_by="creation asc",
	)
	if not payment:
		frappe.throw(_("This booking has no payment to refund."), RefundStateError)
	return create_refund(
		booking,
		frappe.get_doc("HS Payment", payment[0]),
		to_fen(amount),
		"Staff",
		reason.strip(),
		needs_approval=True,
	)


def decide(refund_name: str, approve: bool, note: str | None = None):
	"""Finance approves (never their own request) or rejects a pending staff refund."""
	if not set(APPROVERS) & set(frappe.get_roles()):
		frappe.throw(_("Only finance can approve refunds."), frappe.PermissionError)
	booking = frappe.db.get_value(REFUND, refund_name, "booking")
	frappe.get_doc("HS Booking", booking, for_update=True)
	refund = frappe.get_doc(REFUND, refund_name, for_update=True)
	if refund.status != "Pending Approval":
		frappe.throw(_("This refund is not waiting for approval."), RefundStateError)
	if approve and refund.requested_by == frappe.session.user and frappe.session.user != "Administrator":
		frappe.throw(
			_("A refund must be approved by someone other than who asked for it."), frappe.PermissionError
		)
	refund.db_set(
		{
			"status": "Processing" if approve else "Rejected",
			"approved_by": frappe.session.user,
			"approved_on": now_datetime(),
			"last_error": None if approve else (note or _("Rejected")),
		}
	)
	if approve:
		enqueue_submit(refund.name)
	return refund


def submit_refund(refund_name: str) -> str:
	"""Ask the provider (again, with the same out_refund_no) and apply its answer."""
	refund = frappe.get_doc(REFUND, refund_name)
	if refund.status not in ("Processing", "Failed"):
		return refund.status
	payment = frappe.get_doc("HS Payment", refund.payment)
	gateway = get_gateway(payment.gateway)
	try:
		result = gateway.refund(refund, payment) if refund.attempts == 0 else _retry(gateway, refund, payment)
	except GatewayError as exc:
		frappe.db.set_value(REFUND, refund.name, {"attempts": refund.attempts + 1, "last_error": str(exc)})
		return "Processing"
	frappe.db.set_value(REFUND, refund.name, "attempts", refund.attempts + 1)
	return apply_refund_state(result)


def _retry(gateway, refund, payment) -> Refund:
	"""After an unclear first attempt, ask first: re-sending is only safe once the provider says no."""
	known = gateway.query_refund(refund, payment)
	if known.state in (RefundState.SUCCESS, RefundState.PROCESSING):
		return known
	return gateway.refund(refund, payment)


def apply_refund_state(result: Refund) -> str:
	"""Apply a provider's answer to our own refund call or query (see `apply_refund`)."""
	return apply_refund(result).result


def apply_refund(result: Refund, notified: bool = False) -> Outcome:
	"""Apply a provider's refund state once, under the booking and refund row locks.

	What the provider says must be about this refund: its amount, the payment it refunds and our
	merchant. A notification lacking any of those, or disagreeing, is a Review: nothing changes and
	the refund keeps the reason in `last_error`.
	"""
	found = frappe.db.get_value(
		REFUND, {"out_refund_no": result.out_refund_no}, ["name", "booking", "payment"], as_dict=True
	)
	if not found:
		return Outcome("Unknown", "unknown out_refund_no")
	booking = frappe.get_doc("HS Booking", found.booking, for_update=True)
	refund = frappe.get_doc(REFUND, found.name, for_update=True)
	if refund.status == "Succeeded":
		return Outcome("Duplicate", "refund already succeeded", refund.payment)
	if refund.status in ("Rejected", "Pending Approval"):
		return Outcome(refund.status, "nothing was sent for this refund", refund.payment)
	reason = _mismatch(refund, result, notified)
	if reason:
		refund.db_set("last_error", _("Provider answer held for review: {0}").format(reason))
		return Outcome("Review", reason, refund.payment)
	if result.state == RefundState.PROCESSING:
		refund.db_set("status", "Processing")
		return Outcome("Processing", "refund processing", refund.payment)
	if result.state != RefundState.SUCCESS:
		refund.db_set({"status": "Failed", "last_error": _("The provider did not take the refund.")})
		return Outcome("Failed", "refund failed", refund.payment)
	refund.db_set(
		{"status": "Succeeded", "provider_refund_id": result.refund_id, "succeeded_on": now_datetime()}
	)
	postings.refund_succeeded(refund)
	_debit_booking(booking, refund)
	return_kept_fee(booking)
	extensions.emit("hs_on_refund_succeeded", refund)
	return Outcome("Succeeded", "refund succeeded", refund.payment)


def _mismatch(refund, result: Refund, notified: bool) -> str | None:
	"""The amount is in every refund answer; references the provider sends must be this refund's."""
	payment = frappe.db.get_value(
		"HS Payment", refund.payment, ["gateway", "out_trade_no", "amount_fen"], as_dict=True
	)
	return (
		get_gateway(payment.gateway).foreign_reason(result, notified=notified)
		or field_mismatch([("refund amount", result.amount_fen, refund.amount_fen)], notified)
		or field_mismatch(
			[
				("out_trade_no", result.out_trade_no, payment.out_trade_no),
				("payment amount", result.total_fen, payment.amount_fen),
			],
			notified=False,
		)
	)


def return_kept_fee(booking) -> int:
	"""Give back from revenue the part of a kept cancellation fee that refunds have returned; the fen.

	Keeping the fee moved it from Customer Prepaid to Platform Revenue, so a later refund of it (staff
	refunding the fee on a complaint) would leave the booking's Customer Prepaid in debit and the fee
	in revenue. What the customer has not had back, and is not on its way back, is what the platform
	still keeps; the rest of the fee returns. Cumulative, so refunds succeeding in any order agree.
	"""
	kept = _fee_fen(f"{booking.name}:cancellation-fee")
	if not kept:
		return 0
	returned = _fee_fen(f"{booking.name}:cancellation-fee-returned:%", returned=True)
	in_flight = frappe.get_all(
		REFUND,
		filters={"booking": booking.name, "status": ("in", ("Processing", "Failed"))},
		pluck="amount_fen",
	)
	unrefunded = to_fen(booking.paid_amount) - to_fen(booking.refunded_amount) - sum(in_flight)
	target = kept - min(kept, max(unrefunded, 0))
	if target <= returned:
		return 0
	postings.cancellation_fee_returned(booking.name, target - returned, target)
	return target - returned


def _fee_fen(key: str, returned: bool = False) -> int:
	"""The fee kept under `key` (or returned, under keys like it), from its Platform Revenue line."""
	entry = frappe.qb.DocType("HS Ledger Entry")
	condition = entry.posting_key.like(key) if returned else entry.posting_key == key
	total = (
		frappe.qb.from_(entry)
		.select(Coalesce(Sum(entry.amount_fen), 0))
		.where(condition & (entry.account == Account.PLATFORM_REVENUE))
		.run()[0][0]
	)
	return abs(int(total))


def _debit_booking(booking, refund) -> None:
	booking.refunded_amount = money(booking.refunded_amount) + money(refund.amount)
	fully = money(booking.refunded_amount) >= money(booking.paid_amount)
	booking.payment_status = "Refunded" if fully else "Partially Refunded"
	booking.flags.hs_trusted = True
	if fully and booking.status in (Status.CANCELLED, Status.COMPLETED):
		booking.transition_to(
			Status.REFUNDED, note=stored("Refund {0}", refund.out_refund_no), actor_role="System"
		)
	else:
		booking.save(ignore_permissions=True)


def _yuan(fen: int) -> str:
	return f"¥{fen / 100:.2f}"
