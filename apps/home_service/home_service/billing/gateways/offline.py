"""The "Offline" gateway: money staff take or hand back outside the apps (cash, bank transfer, POS).

Its "provider" is our own books: an HS Offline Payment that finance approved. An order is paid when
the record that took its money is approved; a refund has succeeded when the record of the money handed
back is approved, and until then it is Processing (a person has to return the money, no call can).
So the refund job, the daily reconciliation and the refund service treat offline money like any other
gateway's, and nothing here moves money by itself. Customers never choose it in the mini-program.
"""

import frappe
from frappe import _

from home_service.billing.accounts import Account
from home_service.billing.gateways import OFFLINE
from home_service.billing.gateways.base import (
	GatewayNotConfiguredError,
	PaymentGateway,
	Refund,
	RefundState,
	Trade,
	TradeState,
)

OFFLINE_PAYMENT = "HS Offline Payment"
RECEIVE, REFUND = "Receive", "Refund"  # HS Offline Payment.payment_type
APPROVED = "Approved"


class OfflineGateway(PaymentGateway):
	name = OFFLINE
	customer_checkout = False
	clearing_account = Account.OFFLINE_CLEARING

	def create_order(self, payment, payer_ref: str, description: str) -> tuple[str, dict]:
		frappe.throw(
			_("Offline payments are recorded by staff in Desk, not paid in the app."),
			GatewayNotConfiguredError,
		)

	def query_order(self, out_trade_no: str) -> Trade:
		payment = frappe.db.get_value("HS Payment", {"out_trade_no": out_trade_no}, "name")
		record = payment and approved_record({"payment": payment, "payment_type": RECEIVE})
		if not record:
			return Trade(out_trade_no, TradeState.NOT_FOUND)
		return Trade(out_trade_no, TradeState.PAID, transaction_id=record.name, amount_fen=record.amount_fen)

	def close_order(self, out_trade_no: str) -> None:
		"""Nothing is ever open anywhere: an offline HS Payment is created already paid."""

	def refund(self, refund, payment) -> Refund:
		"""Handing the money back is a person's job: the refund waits for the approved record of it."""
		return self.query_refund(refund, payment)

	def query_refund(self, refund, payment) -> Refund:
		record = approved_record({"refund": refund.name, "payment_type": REFUND})
		if not record:
			return Refund(refund.out_refund_no, RefundState.PROCESSING)
		return Refund(
			refund.out_refund_no,
			RefundState.SUCCESS,
			refund_id=record.name,
			amount_fen=record.amount_fen,
			out_trade_no=payment.out_trade_no,
			total_fen=payment.amount_fen,
		)


def approved_record(filters: dict) -> frappe._dict | None:
	return frappe.db.get_value(
		OFFLINE_PAYMENT, {**filters, "status": APPROVED}, ["name", "amount_fen"], as_dict=True
	)
