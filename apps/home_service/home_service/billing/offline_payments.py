"""Money staff take or hand back outside the apps (cash, bank transfer, POS), maker and checker.

Staff record an HS Offline Payment (amount, method, reference, proof); finance (someone else) approves
or rejects it. Approving applies it through the same services as an online payment or refund:
- Receive: an HS Payment of the "Offline" gateway is opened and applied with `payments.apply_trade`,
  as a provider's "paid" answer would be: the ledger posting, the booking's Paid step,
  hs_on_booking_paid and dispatch. The amount must be what the booking still owes.
- Refund: the HS Refund it answers (made by a cancellation or a staff refund; the Offline gateway keeps
  it Processing until the money is handed back) is applied with `refunds.apply_refund`: the reverse
  posting, the booking's Refunded or Partially Refunded.

Locks: the booking row, then the record, then what the services lock (the payment or the refund).
A second approval (a double click, two finance users at once) waits for the first, finds the record
Approved and changes nothing; one booking has at most one record waiting (checked under its lock).
While a payment waits for finance the booking does not expire unpaid; a rejection gives it a new
payment window.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.billing import payments, refunds
from home_service.billing.gateways import OFFLINE
from home_service.billing.gateways.base import Refund, RefundState, Trade, TradeState
from home_service.billing.gateways.offline import OFFLINE_PAYMENT, RECEIVE, REFUND
from home_service.billing.keys import mint
from home_service.billing.outcome import Outcome
from home_service.booking.lifecycle import Status
from home_service.scheduling.settings import get_settings
from home_service.utils.money import money, to_fen

PENDING, APPROVED, REJECTED = "Pending Approval", "Approved", "Rejected"
APPROVERS = refunds.APPROVERS
NEEDS_REFERENCE = ("Bank Transfer", "POS")  # a transfer's serial number, a POS slip's number


class OfflinePaymentStateError(frappe.ValidationError):
	http_status_code = 409


class OfflineAmountError(frappe.ValidationError):
	http_status_code = 422


# --- recording (HSOfflinePayment.validate / after_insert) -----------------------------------------
def check_record(doc) -> None:
	"""What the record claims must fit the booking or refund now (the booking row is locked)."""
	if doc.payment_type == REFUND:
		doc.booking = frappe.db.get_value(refunds.REFUND, doc.refund, "booking")
	if not doc.booking or not frappe.db.get_value("HS Booking", doc.booking, "name", for_update=True):
		missing = doc.booking or doc.refund
		frappe.throw(_("{0} not found.").format(missing), frappe.DoesNotExistError)
	if doc.payment_type == RECEIVE:
		expected = owed_fen(frappe.get_doc("HS Booking", doc.booking))
		what = _("the amount the booking still owes")
	else:
		expected = refund_awaiting_return(doc.refund).amount_fen
		what = _("the refund's amount")
	if doc.amount_fen != expected:
		frappe.throw(
			_("The amount {0} is not {1} ({2}).").format(_yuan(doc.amount_fen), what, _yuan(expected)),
			OfflineAmountError,
			title=_("Wrong amount"),
		)
	link = {"booking": doc.booking} if doc.payment_type == RECEIVE else {"refund": doc.refund}
	waiting = frappe.db.get_value(
		OFFLINE_PAYMENT,
		{**link, "payment_type": doc.payment_type, "status": PENDING, "name": ("!=", doc.name or "")},
	)
	if waiting:
		frappe.throw(_("{0} already waits for finance's approval.").format(waiting), OfflinePaymentStateError)


def owed_fen(booking) -> int:
	"""What an unpaid booking still owes, or a clear refusal when it owes nothing."""
	if booking.status != Status.PENDING_PAYMENT or booking.payment_status != "Unpaid":
		frappe.throw(
			_("Booking {0} does not need payment (it is {1}).").format(booking.name, _(booking.status)),
			OfflinePaymentStateError,
		)
	owed = to_fen(booking.grand_total) - to_fen(booking.paid_amount)
	if owed <= 0:
		frappe.throw(_("This booking is free and needs no payment."), OfflinePaymentStateError)
	return owed


def refund_awaiting_return(refund_name: str):
	refund = frappe.get_doc(refunds.REFUND, refund_name)
	gateway = frappe.db.get_value("HS Payment", refund.payment, "gateway")
	if gateway != OFFLINE or refund.status not in ("Processing", "Failed"):
		frappe.throw(
			_("Refund {0} does not wait for money to be handed back.").format(refund.name),
			OfflinePaymentStateError,
		)
	return refund


def hold_booking(doc) -> None:
	"""The money is in hand: the booking must not expire unpaid while finance checks it."""
	if doc.payment_type == RECEIVE:
		frappe.db.set_value("HS Booking", doc.booking, "payment_deadline", None, update_modified=False)


# --- finance's decision ----------------------------------------------------------------------
def approve(name: str):
	"""Apply the record (module notes). Approving an approved record again changes nothing."""
	doc = _lock_for_decision(name)
	if doc.status == APPROVED:
		return doc
	_assert_pending(doc)
	if frappe.session.user == doc.owner:
		frappe.throw(
			_("Someone other than {0}, who recorded it, must approve this.").format(doc.owner),
			frappe.PermissionError,
		)
	check_record(doc)
	_decide(doc, APPROVED)
	outcome = _receive(doc) if doc.payment_type == RECEIVE else _hand_back(doc)
	if outcome.result not in ("Applied", "Succeeded"):
		frappe.throw(_("The payment could not be applied: {0}").format(outcome.reason))
	return doc


def reject(name: str, reason: str):
	"""Nothing moves; an unpaid booking gets a fresh payment window. Rejecting twice is a no-op."""
	if not (reason or "").strip():
		frappe.throw(_("Give a reason for the rejection."))
	doc = _lock_for_decision(name)
	if doc.status == REJECTED:
		return doc
	_assert_pending(doc)
	_decide(doc, REJECTED, reason.strip())
	if doc.payment_type == RECEIVE:
		booking = frappe.db.get_value("HS Booking", doc.booking, ["status", "payment_deadline"], as_dict=True)
		if booking.status == Status.PENDING_PAYMENT and not booking.payment_deadline:
			deadline = now_datetime() + get_settings().hold
			frappe.db.set_value(
				"HS Booking", doc.booking, "payment_deadline", deadline, update_modified=False
			)
	return doc


def _lock_for_decision(name: str):
	if not set(APPROVERS) & set(frappe.get_roles()):
		frappe.throw(_("Only finance can approve or reject offline payments."), frappe.PermissionError)
	booking = frappe.db.get_value(OFFLINE_PAYMENT, name, "booking")
	if not booking:
		frappe.throw(_("Offline payment {0} not found.").format(name), frappe.DoesNotExistError)
	frappe.db.get_value("HS Booking", booking, "name", for_update=True)
	return frappe.get_doc(OFFLINE_PAYMENT, name, for_update=True)


def _assert_pending(doc) -> None:
	if doc.status != PENDING:
		frappe.throw(_("{0} was already {1}.").format(doc.name, _(doc.status)), OfflinePaymentStateError)


def _decide(doc, status: str, reason: str | None = None) -> None:
	doc.db_set(
		{
			"status": status,
			"decided_by": frappe.session.user,
			"decided_on": now_datetime(),
			"rejection_reason": reason,
		}
	)


def _receive(doc) -> Outcome:
	payment = frappe.get_doc(
		{
			"doctype": payments.PAYMENT,
			"booking": doc.booking,
			"customer": doc.customer,
			"gateway": OFFLINE,
			"status": "Created",
			"out_trade_no": mint("OF"),
			"amount": money(doc.amount_fen / 100),
			"amount_fen": doc.amount_fen,
			"currency": "CNY",
		}
	).insert(ignore_permissions=True)
	doc.db_set("payment", payment.name)
	trade = Trade(payment.out_trade_no, TradeState.PAID, transaction_id=doc.name, amount_fen=doc.amount_fen)
	return payments.apply_trade(OFFLINE, trade, source="offline approval")


def _hand_back(doc) -> Outcome:
	refund = frappe.get_doc(refunds.REFUND, doc.refund)
	payment = frappe.db.get_value("HS Payment", refund.payment, ["out_trade_no", "amount_fen"], as_dict=True)
	doc.db_set("payment", refund.payment)
	answer = Refund(
		refund.out_refund_no,
		RefundState.SUCCESS,
		refund_id=doc.name,
		amount_fen=doc.amount_fen,
		out_trade_no=payment.out_trade_no,
		total_fen=payment.amount_fen,
	)
	return refunds.apply_refund(answer)


def _yuan(fen: int) -> str:
	return f"¥{fen / 100:.2f}"
