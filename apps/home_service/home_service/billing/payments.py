"""Collecting a booking's amount: open (or reuse) a provider order, apply what the provider reports.

Lock order everywhere: the booking row, then its payment rows, each locked by name. A double tap on
"pay" waits on the booking lock and gets the same order back; a notification and a query job racing on
the same payment both lock it, and the second sees it Paid and changes nothing.

Payment rows are never found with a locking read of HS Payment's booking index: such a read also locks
the gap after the booking's rows, which is shared with other bookings; two pays at once each held one
and waited for the other's insert (MariaDB 1213; 9 of 30 concurrent pays answered 500, issue 21).
`open_payments` reads plainly and then locks the rows it found by name; the order a concurrent request
opened after this transaction's snapshot is the one the booking's `open_payment` names, set under the
booking's lock, which the caller holds.
"""

import json
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import add_to_date, get_datetime, now_datetime

from home_service.billing import postings
from home_service.billing.gateways import gateway_class, get_gateway
from home_service.billing.gateways.base import Trade, TradeState, field_mismatch
from home_service.billing.gateways.settings import payment_settings
from home_service.billing.keys import mint
from home_service.billing.outcome import Outcome
from home_service.billing.refunds import create_refund
from home_service.booking.lifecycle import Status
from home_service.booking.stored_text import stored
from home_service.utils import extensions
from home_service.utils.money import money, to_fen

PAYMENT = "HS Payment"
REUSE_MARGIN_MINUTES = 1  # an order about to expire is not handed out again


class PaymentNotAllowedError(frappe.ValidationError):
	http_status_code = 409


class PayerUnknownError(frappe.ValidationError):
	http_status_code = 422


@dataclass
class H5Checkout:
	"""Paying in a phone browser: the provider's cashier page, then back to `return_url`."""

	return_url: str
	client_ip: str


def start_payment(booking_name: str, gateway_name: str, h5: H5Checkout | None = None) -> dict:
	"""What the client needs to pay for this booking: wx.requestPayment's / my.tradePay's parameters
	in a mini-program, or with `h5` the `h5_url` of the provider's cashier for a phone browser."""
	booking = frappe.get_doc("HS Booking", booking_name, for_update=True)
	assert_payable(booking)
	gateway = get_gateway(gateway_name)
	if h5 and not gateway_class(gateway_name).pays_on_h5():
		frappe.throw(_("{0} cannot be paid in a browser.").format(_(gateway_name)), PaymentNotAllowedError)
	amount_fen = to_fen(booking.grand_total)
	for row in open_payments(booking):
		same_kind = ("h5_url" in json.loads(row.client_params or "{}")) == bool(h5)
		if row.gateway == gateway_name and row.amount_fen == amount_fen and same_kind and _fresh(row):
			return {"payment": row.name, "out_trade_no": row.out_trade_no, **json.loads(row.client_params)}
		retire(row)  # another method, amount or platform: the old order must not be payable any more
	payer = None if h5 else payer_ref(booking.customer, gateway_name)  # H5: the cashier knows the payer
	payment = frappe.get_doc(
		{
			"doctype": PAYMENT,
			"booking": booking.name,
			"customer": booking.customer,
			"gateway": gateway_name,
			"status": "Created",
			"out_trade_no": mint("HS"),
			"amount": money(booking.grand_total),
			"amount_fen": amount_fen,
			"currency": "CNY",
			"expires_on": _expiry(booking),
		}
	)
	payment.insert(ignore_permissions=True)
	# a plain column write: the booking's change hooks have nothing to do with it
	frappe.db.set_value("HS Booking", booking.name, "open_payment", payment.name, update_modified=False)
	if h5:
		ref, params = gateway.create_h5_order(payment, _description(booking), h5.client_ip, h5.return_url)
	else:
		ref, params = gateway.create_order(payment, payer, _description(booking))
	payment.db_set({"prepay_ref": ref, "client_params": json.dumps(params)})
	return {"payment": payment.name, "out_trade_no": payment.out_trade_no, **params}


def settle_free_booking(booking) -> None:
	"""A booking that coupons and points made free needs no provider: it is paid as it is created."""
	if money(booking.grand_total) > 0 or booking.payment_status != "Unpaid":
		return
	booking.flags.hs_trusted = True
	booking.payment_status = "Paid"
	booking.paid_on = now_datetime()
	# stored in English, shown in each reader's language (booking/stored_text.py)
	booking.transition_to(Status.PENDING_DISPATCH, note=stored("Nothing to pay"), actor_role="System")
	extensions.emit("hs_on_booking_paid", booking)


def on_booking_created(booking, request=None) -> None:
	"""hs_on_booking_created: a booking that coupons and points made free is paid at once."""
	settle_free_booking(booking)


def assert_payable(booking) -> None:
	if booking.status != Status.PENDING_PAYMENT or booking.payment_status != "Unpaid":
		frappe.throw(_("This booking does not need payment."), PaymentNotAllowedError)
	if money(booking.grand_total) <= 0:
		frappe.throw(_("This booking is free and needs no payment."), PaymentNotAllowedError)
	if booking.payment_deadline and get_datetime(booking.payment_deadline) <= now_datetime():
		frappe.throw(_("The time to pay for this booking has passed."), PaymentNotAllowedError)


def payer_ref(customer: str, gateway_name: str) -> str:
	"""The customer's account at the provider; the gateway class knows where it is kept."""
	ref = gateway_class(gateway_name).customer_account(customer)
	if not ref:
		frappe.throw(
			_("Log in with {0} on this account before paying with it.").format(_(gateway_name)),
			PayerUnknownError,
		)
	return ref


def open_payments(booking) -> list:
	"""The booking's payments still open at the provider, locked, as they are now (module notes)."""
	names = set(frappe.get_all(PAYMENT, {"booking": booking.name, "status": "Created"}, pluck="name"))
	if booking.open_payment:
		names.add(booking.open_payment)
	if not names:
		return []
	rows = frappe.db.get_values(
		PAYMENT,
		{"name": ["in", sorted(names)], "status": "Created"},
		["name", "gateway", "amount_fen", "out_trade_no", "expires_on", "client_params", "creation"],
		as_dict=True,
		order_by=None,  # found by primary key: an ORDER BY could send the locking read down another index
		for_update=True,
	)
	return sorted(rows, key=lambda row: row.creation)


def retire(row) -> None:
	"""Close a superseded order at the provider first; if it was paid meanwhile, apply that instead."""
	gateway = get_gateway(row.gateway)
	trade = gateway.query_order(row.out_trade_no)
	if trade.state == TradeState.PAID:
		apply_trade(row.gateway, trade, source="query")
		frappe.throw(_("This booking has just been paid."), PaymentNotAllowedError)
	if trade.state != TradeState.NOT_FOUND:
		gateway.close_order(row.out_trade_no)
	frappe.db.set_value(PAYMENT, row.name, "status", "Closed")


def confirm_payment(booking_name: str) -> str:
	"""The client says it paid: believe only the provider. Returns the booking's payment status."""
	booking = frappe.db.get_value("HS Booking", booking_name, ["name", "open_payment"], as_dict=True)
	for row in open_payments(booking):
		trade = get_gateway(row.gateway).query_order(row.out_trade_no)
		frappe.db.set_value(PAYMENT, row.name, "last_queried_on", now_datetime())
		if trade.state == TradeState.PAID:
			apply_trade(row.gateway, trade, source="query")
	return frappe.db.get_value("HS Booking", booking_name, "payment_status")


def apply_trade(gateway_name: str, trade: Trade, source: str) -> Outcome:
	"""Apply a provider-reported trade exactly once, under the booking and payment row locks."""
	if trade.state != TradeState.PAID:
		return Outcome("Ignored", f"trade state {trade.state}")
	found = frappe.db.get_value(
		PAYMENT, {"out_trade_no": trade.out_trade_no}, ["name", "booking"], as_dict=True
	)
	if not found:
		return Outcome("Review", "unknown out_trade_no")
	booking = frappe.get_doc("HS Booking", found.booking, for_update=True)
	payment = frappe.get_doc(PAYMENT, found.name, for_update=True)
	if payment.status == "Paid":
		if trade.transaction_id and trade.transaction_id != payment.transaction_id:
			return Outcome("Review", "a second transaction for a paid order", payment.name)
		return Outcome("Duplicate", "already paid", payment.name)
	notified = source == "notification"
	reason = (
		("gateway does not match" if payment.gateway != gateway_name else None)
		or get_gateway(gateway_name).foreign_reason(trade, notified=notified)
		# a paid trade always states its amount: missing is as wrong as different
		or field_mismatch([("amount", trade.amount_fen, payment.amount_fen)], notified=True)
	)
	if reason:
		payment.db_set({"status": "Review", "review_reason": f"{source}: {reason}"})
		return Outcome("Review", reason, payment.name)
	payment.db_set(
		{
			"status": "Paid",
			"transaction_id": trade.transaction_id,
			"payer_ref": trade.payer_ref,
			"paid_on": now_datetime(),
		}
	)
	postings.payment_captured(payment)
	_credit_booking(booking, payment, gateway_name)
	return Outcome("Applied", source, payment.name)


def _credit_booking(booking, payment, gateway_name: str) -> None:
	booking.paid_amount = money(booking.paid_amount) + money(payment.amount)
	booking.flags.hs_trusted = True
	if booking.status == Status.PENDING_PAYMENT and booking.payment_status == "Unpaid":
		booking.payment_status = "Paid"
		booking.paid_on = payment.paid_on  # one moment: the booking was paid when its payment was
		booking.transition_to(
			Status.PENDING_DISPATCH, note=stored("Paid with {0}", gateway_name), actor_role="System"
		)
		extensions.emit("hs_on_booking_paid", booking)
		for row in open_payments(booking):
			frappe.enqueue(
				"home_service.billing.jobs.close_payment", payment=row.name, enqueue_after_commit=True
			)
		return
	# paid after the booking was cancelled, or paid twice: the money goes straight back
	booking.payment_status = booking.payment_status if booking.payment_status != "Unpaid" else "Paid"
	booking.save(ignore_permissions=True)
	create_refund(
		booking, payment, payment.amount_fen, kind="Late Payment", reason=_("Paid after the booking closed")
	)


def _fresh(row) -> bool:
	return bool(row.client_params) and (
		not row.expires_on
		or get_datetime(row.expires_on) > add_to_date(now_datetime(), minutes=REUSE_MARGIN_MINUTES)
	)


def _expiry(booking):
	minutes = payment_settings().order_expire_minutes or 30
	limit = add_to_date(now_datetime(), minutes=minutes)
	deadline = get_datetime(booking.payment_deadline) if booking.payment_deadline else limit
	return min(limit, deadline)


def _description(booking) -> str:
	first = booking.items[0].item_name if booking.items else booking.name
	return f"{first} {booking.name}"
