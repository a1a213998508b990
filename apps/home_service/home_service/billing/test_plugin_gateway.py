# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""A payment provider added by a plugin through the `hs_payment_gateways` hook, with no change to
core: the customer pays, is refunded and a technician withdraws through it. The plugin knows its
users by mobile number (not by a field core knows about) and signs its webhooks with HMAC."""

import hashlib
import hmac
import json
import secrets
from collections import Counter

from werkzeug.wrappers import Response

import frappe
from frappe.tests.utils import FrappeTestCase, patch_hooks

from home_service.billing import withdrawals as wd
from home_service.billing.gateways import gateway_names, payout_gateway_names
from home_service.billing.gateways.base import (
	Notification,
	NotificationRejected,
	PaymentGateway,
	Refund,
	RefundState,
	Trade,
	TradeState,
	Transfer,
	TransferState,
	field_mismatch,
)
from home_service.billing.notifications import handle
from home_service.billing.payments import start_payment
from home_service.billing.refunds import submit_refund
from home_service.booking import cancellation
from home_service.booking.lifecycle import Status
from home_service.tests.billing_fixtures import ledger_rows, payable_booking
from home_service.tests.earnings_fixtures import fund, payout_technician
from home_service.tests.factories import uid

WALLET = "Phone Wallet"
MERCHANT = "PW-MERCHANT-1"


class PhoneWalletProvider:
	"""The provider's side, in process: what it was asked and what it holds."""

	def __init__(self):
		self.secret = secrets.token_bytes(32)
		self.orders: dict[str, dict] = {}
		self.refunds: dict[str, dict] = {}
		self.transfers: dict[str, dict] = {}
		self.calls: Counter = Counter()

	def pays(self, out_trade_no: str) -> None:
		self.orders[out_trade_no]["state"] = "PAID"

	def notification(self, out_trade_no: str, **change) -> tuple[dict, bytes]:
		order = self.orders[out_trade_no]
		event = {
			"id": secrets.token_hex(8),
			"type": "payment",
			"out_trade_no": out_trade_no,
			"state": order["state"],
			"amount": order["amount"],
			"merchant": MERCHANT,
			"payer": order["payer"],
			**change,
		}
		body = json.dumps(event).encode()
		return {"X-Wallet-Signature": hmac.new(self.secret, body, hashlib.sha256).hexdigest()}, body


PROVIDER = PhoneWalletProvider()


class PhoneWalletGateway(PaymentGateway):
	"""What a plugin app ships; core only learns its dotted path from the hook."""

	name = WALLET

	@classmethod
	def customer_account(cls, customer: str) -> str | None:
		return frappe.db.get_value("HS Customer", customer, "mobile_no")

	@classmethod
	def technician_account(cls, technician: str) -> str | None:
		return frappe.db.get_value("HS Technician", technician, "mobile_no")

	def create_order(self, payment, payer_ref: str, description: str) -> tuple[str, dict]:
		PROVIDER.calls["order"] += 1
		ref = "PWO" + secrets.token_hex(6)
		PROVIDER.orders[payment.out_trade_no] = {
			"ref": ref,
			"amount": int(payment.amount_fen),
			"payer": payer_ref,
			"state": "OPEN",
		}
		return ref, {"walletOrder": ref}

	def query_order(self, out_trade_no: str) -> Trade:
		order = PROVIDER.orders.get(out_trade_no)
		if not order:
			return Trade(out_trade_no, TradeState.NOT_FOUND)
		state = {"PAID": TradeState.PAID, "CLOSED": TradeState.CLOSED}.get(
			order["state"], TradeState.NOT_PAID
		)
		return Trade(out_trade_no, state, order["ref"], order["amount"], "CNY", merchant_id=MERCHANT)

	def close_order(self, out_trade_no: str) -> None:
		PROVIDER.orders[out_trade_no]["state"] = "CLOSED"

	def refund(self, refund, payment) -> Refund:
		PROVIDER.calls[f"refund:{refund.out_refund_no}"] += 1
		PROVIDER.refunds.setdefault(refund.out_refund_no, {"amount": int(refund.amount_fen)})
		return Refund(refund.out_refund_no, RefundState.SUCCESS, "PWR1", int(refund.amount_fen))

	def query_refund(self, refund, payment) -> Refund:
		done = PROVIDER.refunds.get(refund.out_refund_no)
		if not done:
			return Refund(refund.out_refund_no, RefundState.FAILED)
		return Refund(refund.out_refund_no, RefundState.SUCCESS, "PWR1", done["amount"])

	def transfer(
		self, out_bill_no: str, payee_ref: str, amount_fen: int, remark: str, purpose: str = "earnings"
	) -> Transfer:
		PROVIDER.calls[f"transfer:{out_bill_no}"] += 1
		PROVIDER.transfers.setdefault(out_bill_no, {"amount": int(amount_fen), "payee": payee_ref})
		return self.query_transfer(out_bill_no)

	def query_transfer(self, out_bill_no: str) -> Transfer:
		done = PROVIDER.transfers.get(out_bill_no)
		if not done:
			return Transfer(out_bill_no, "NOT_FOUND")
		return Transfer(
			out_bill_no, TransferState.SUCCESS, "PWT1", amount_fen=done["amount"], payee_ref=done["payee"]
		)

	def parse_notification(self, headers: dict, body: bytes) -> Notification:
		signature = {k.lower(): v for k, v in headers.items()}.get("x-wallet-signature") or ""
		expected = hmac.new(PROVIDER.secret, body, hashlib.sha256).hexdigest()
		if not hmac.compare_digest(signature, expected):
			raise NotificationRejected("signature does not verify")
		event = json.loads(body)
		trade = Trade(
			out_trade_no=event["out_trade_no"],
			state=TradeState.PAID if event.get("state") == "PAID" else TradeState.NOT_PAID,
			transaction_id=event["id"],
			amount_fen=event.get("amount"),
			currency="CNY",
			merchant_id=event.get("merchant"),
			payer_ref=event.get("payer"),
		)
		return Notification(event["id"], event["type"], trade=trade)

	def acknowledge(self, ok: bool, message: str = "") -> Response:
		return Response("OK" if ok else "NO", status=200 if ok else 400)

	def foreign_reason(self, item, notified: bool = True) -> str | None:
		return field_mismatch([("merchant", item.merchant_id, MERCHANT)], notified)


class CardOnlyGateway(PhoneWalletGateway):
	"""A plugin provider that takes payments but cannot pay out."""

	name = "Card Only"
	transfer = PaymentGateway.transfer


def plugin_hooks() -> dict:
	return {
		"hs_payment_gateways": {
			**frappe.get_hooks("hs_payment_gateways"),
			WALLET: ["home_service.billing.test_plugin_gateway.PhoneWalletGateway"],
			"Card Only": ["home_service.billing.test_plugin_gateway.CardOnlyGateway"],
		}
	}


class TestPluginGateway(FrappeTestCase):
	def setUp(self):
		global PROVIDER
		PROVIDER = PhoneWalletProvider()
		frappe.db.savepoint("plugin_gateway")
		self.enterContext(patch_hooks(plugin_hooks()))

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="plugin_gateway")

	def test_a_plugin_gateway_takes_a_payment_and_refunds_it(self):
		self.assertIn(WALLET, gateway_names())
		booking = payable_booking()
		mobile = frappe.db.get_value("HS Customer", booking.customer, "mobile_no")
		params = start_payment(booking.name, WALLET)
		self.assertEqual(start_payment(booking.name, WALLET), params)  # a double tap: the same order
		self.assertEqual(PROVIDER.calls["order"], 1)
		order = PROVIDER.orders[params["out_trade_no"]]
		self.assertEqual((order["payer"], order["amount"]), (mobile, int(booking.grand_total * 100)))

		PROVIDER.pays(params["out_trade_no"])
		forged_headers, body = PROVIDER.notification(params["out_trade_no"])
		self.assertEqual(handle(WALLET, {"X-Wallet-Signature": "0" * 64}, body).status_code, 400)
		other = PROVIDER.notification(params["out_trade_no"], merchant="PW-SOMEONE-ELSE")
		self.assertEqual(handle(WALLET, *other).status_code, 400)
		self.assertEqual(frappe.db.get_value("HS Payment", params["payment"], "status"), "Review")
		frappe.db.set_value("HS Payment", params["payment"], "status", "Created")  # finance cleared it
		self.assertEqual(handle(WALLET, forged_headers, body).status_code, 200)
		self.assertEqual(handle(WALLET, forged_headers, body).status_code, 200)  # resent: no effect
		booking.reload()
		self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Paid"))
		self.assertEqual(len(ledger_rows(booking.name)), 2)

		cancellation.cancel(frappe.get_doc("HS Booking", booking.name, for_update=True), "plugin test")
		refund = frappe.get_last_doc("HS Refund", filters={"booking": booking.name})
		self.assertEqual(submit_refund(refund.name), "Succeeded")
		self.assertEqual(submit_refund(refund.name), "Succeeded")  # a re-run asks nothing
		self.assertEqual(PROVIDER.calls[f"refund:{refund.out_refund_no}"], 1)
		self.assertEqual(PROVIDER.refunds[refund.out_refund_no]["amount"], refund.amount_fen)
		booking.reload()
		self.assertEqual((booking.status, booking.payment_status), (Status.REFUNDED, "Refunded"))
		self.assertEqual(sum(row.amount_fen for row in ledger_rows(booking.name)), 0)

	def test_a_plugin_gateway_pays_a_withdrawal_to_the_account_it_knows(self):
		technician = payout_technician()
		fund(technician, 50_00)
		mobile = frappe.db.get_value("HS Technician", technician, "mobile_no")
		self.assertIn(WALLET, payout_gateway_names())
		self.assertNotIn("Card Only", payout_gateway_names())
		doc = wd.request_withdrawal(technician, "20.00", WALLET, uid("k-"))
		self.assertEqual(doc.payee_ref, mobile)
		wd.approve(doc.name)
		self.assertEqual(wd.submit_payout(doc.name), "Paid")
		self.assertEqual(wd.submit_payout(doc.name), "Paid")
		self.assertEqual(PROVIDER.transfers[doc.out_bill_no], {"amount": 2000, "payee": mobile})
		self.assertEqual(PROVIDER.calls[f"transfer:{doc.out_bill_no}"], 1)
		self.assertEqual(wd.available_fen(technician), 30_00)

	def test_withdrawals_only_to_registered_gateways_that_pay_out(self):
		technician = payout_technician()
		fund(technician, 50_00)
		for gateway in ("Card Only", "Bank", ""):
			with self.subTest(gateway=gateway), self.assertRaises(wd.WithdrawalError):
				wd.request_withdrawal(technician, "20.00", gateway, uid("k-"))
		row = frappe.get_doc(
			{
				"doctype": wd.WITHDRAWAL,
				"technician": technician,
				"status": "Pending Approval",
				"amount": 20,
				"amount_fen": 2000,
				"gateway": "Bank",
				"payee_ref": "x",
				"out_bill_no": uid("WD"),
				"idempotency_key": uid("k-"),
			}
		)
		self.assertRaises(wd.WithdrawalError, row.insert, ignore_permissions=True)
		self.assertEqual(wd.available_fen(technician), 50_00)
