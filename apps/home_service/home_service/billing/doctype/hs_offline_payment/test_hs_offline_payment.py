"""Offline payments: recorded by staff, approved by someone else in finance, applied like an online
payment (ledger, Paid, dispatch); refunds of them handed back by a person and approved the same way."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import now_datetime

from home_service.billing import offline_payments as offline
from home_service.billing.gateways import OFFLINE, checkout_gateway_names, get_gateway
from home_service.billing.gateways.base import GatewayNotConfiguredError
from home_service.billing.ledger import unbalanced_keys
from home_service.billing.reconciliation import reconcile_day
from home_service.billing.refunds import decide, request_staff_refund, submit_refund
from home_service.booking import cancellation
from home_service.booking.lifecycle import Status
from home_service.dispatch.engine import dispatch_booking
from home_service.tests.billing_fixtures import ledger_rows
from home_service.tests.factories import make_booking, make_user
from home_service.utils.money import to_fen

DOCTYPE = "HS Offline Payment"
DISPATCH_JOB = "home_service.dispatch.engine.dispatch_booking"


def record(user: str, payment_type: str = "Receive", method: str = "Cash", **fields):
	"""`user` records money taken (or handed back) in Desk."""
	frappe.set_user(user)
	try:
		return frappe.get_doc(
			{"doctype": DOCTYPE, "payment_type": payment_type, "method": method, **fields}
		).insert()
	finally:
		frappe.set_user("Administrator")


def as_user(user: str, fn, *args):
	frappe.set_user(user)
	try:
		return fn(*args)
	finally:
		frappe.set_user("Administrator")


def by_account(booking: str) -> dict:
	totals = {}
	for row in ledger_rows(booking):
		totals[row.account] = totals.get(row.account, 0) + row.amount_fen
	return totals


class TestHSOfflinePayment(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("offline_test")
		self.service = make_user(["HS Customer Service"])
		self.finance = make_user(["HS Finance"])
		self.booking = make_booking(source_channel="Offline")
		self.fen = to_fen(self.booking.grand_total)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="offline_test")

	def record_cash(self, **fields):
		fields = {"booking": self.booking.name, "amount": self.booking.grand_total, **fields}
		return record(self.service, **fields)

	def approve(self, name: str, user: str | None = None):
		return as_user(user or self.finance, offline.approve, name)

	def test_approval_pays_the_booking_posts_the_ledger_and_starts_dispatch(self):
		doc = self.record_cash(reference="收据 0012", remarks="客户到店付现")
		self.assertEqual(doc.status, "Pending Approval")
		self.assertEqual(doc.customer, self.booking.customer)
		# the money is in hand: the booking does not expire unpaid while finance checks it
		self.assertIsNone(frappe.db.get_value("HS Booking", self.booking.name, "payment_deadline"))
		self.assertEqual(ledger_rows(self.booking.name), [])

		with patch("frappe.enqueue", wraps=frappe.enqueue) as enqueue:
			self.approve(doc.name)
		booking = frappe.get_doc("HS Booking", self.booking.name)
		self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Paid"))
		self.assertEqual(to_fen(booking.paid_amount), self.fen)
		doc.reload()
		self.assertEqual((doc.status, doc.decided_by), ("Approved", self.finance))
		payment = frappe.get_doc("HS Payment", doc.payment)
		self.assertEqual(
			(payment.gateway, payment.status, payment.amount_fen, payment.transaction_id),
			(OFFLINE, "Paid", self.fen, doc.name),
		)
		self.assertEqual(
			by_account(booking.name), {"Offline Clearing": self.fen, "Customer Prepaid": -self.fen}
		)
		self.assertEqual(unbalanced_keys(), [])
		jobs = [c for c in enqueue.call_args_list if c.args and c.args[0] == DISPATCH_JOB]
		self.assertEqual([c.kwargs["booking"] for c in jobs], [booking.name])
		dispatch_booking(booking.name)  # the job the payment enqueued
		self.assertTrue(frappe.db.exists("HS Dispatch Decision", {"booking": booking.name}))
		events = frappe.get_all(
			"HS Booking Event", {"booking": booking.name, "to_status": Status.PENDING_DISPATCH}, pluck="name"
		)
		self.assertEqual(len(events), 1)

	def test_approving_again_pays_once(self):
		doc = self.record_cash()
		self.approve(doc.name)
		other_finance = make_user(["HS Finance"])
		self.approve(doc.name, other_finance)  # a second click, another finance user
		self.assertEqual(frappe.db.count("HS Payment", {"booking": self.booking.name}), 1)
		self.assertEqual(len(ledger_rows(self.booking.name)), 2)
		with self.assertRaises(offline.OfflinePaymentStateError):
			as_user(self.finance, offline.reject, doc.name, "too late")

	def test_reject_changes_nothing_and_gives_the_booking_a_new_window(self):
		doc = self.record_cash()
		as_user(self.finance, offline.reject, doc.name, "收据与金额不符")
		booking = frappe.get_doc("HS Booking", self.booking.name)
		self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_PAYMENT, "Unpaid"))
		self.assertGreater(booking.payment_deadline, now_datetime())
		self.assertEqual(frappe.db.count("HS Payment", {"booking": booking.name}), 0)
		self.assertEqual(ledger_rows(booking.name), [])
		doc.reload()
		self.assertEqual((doc.status, doc.rejection_reason), ("Rejected", "收据与金额不符"))
		with self.assertRaises(offline.OfflinePaymentStateError):
			self.approve(doc.name)
		self.record_cash()  # a corrected record may follow

	def test_maker_cannot_check_and_only_finance_decides(self):
		both = make_user(["HS Customer Service", "HS Finance"])
		doc = record(both, booking=self.booking.name, amount=self.booking.grand_total, method="Cash")
		with self.assertRaises(frappe.PermissionError):
			self.approve(doc.name, both)  # not one's own record
		with self.assertRaises(frappe.PermissionError):
			self.approve(doc.name, self.service)  # customer service records, never approves
		with self.assertRaises(frappe.PermissionError):
			as_user(self.finance, lambda: frappe.get_doc(DOCTYPE, doc.name).save())  # nor edits it
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Pending Approval")
		self.approve(doc.name)
		self.assertEqual(frappe.db.get_value("HS Booking", self.booking.name, "payment_status"), "Paid")

	def test_wrong_amounts_and_bookings_are_refused_with_a_reason(self):
		with self.assertRaises(offline.OfflineAmountError) as wrong:
			self.record_cash(amount=self.booking.grand_total - 1)
		self.assertEqual(wrong.exception.http_status_code, 422)
		self.assertIn(f"¥{self.fen / 100:.2f}", str(wrong.exception))
		with self.assertRaises(frappe.MandatoryError):
			self.record_cash(method="Bank Transfer")  # a transfer needs its serial number
		doc = self.record_cash()
		with self.assertRaises(offline.OfflinePaymentStateError):
			self.record_cash()  # one record waits at a time
		# the booking's amount changed after the record: approval compares with what is owed now
		frappe.db.set_value("HS Booking", self.booking.name, "grand_total", self.booking.grand_total + 10)
		with self.assertRaises(offline.OfflineAmountError):
			self.approve(doc.name)
		self.assertEqual(frappe.db.get_value(DOCTYPE, doc.name, "status"), "Pending Approval")
		paid = make_booking()
		paid.flags.hs_trusted = True
		paid.db_set("payment_status", "Paid")
		with self.assertRaises(offline.OfflinePaymentStateError):
			record(self.service, booking=paid.name, amount=paid.grand_total)

	def test_customers_cannot_choose_offline_in_the_app(self):
		self.assertNotIn(OFFLINE, checkout_gateway_names())
		self.assertIn("WeChat Pay", checkout_gateway_names())
		with self.assertRaises(GatewayNotConfiguredError):
			get_gateway(OFFLINE).create_order(None, "", "")

	@change_settings("HS Settings", free_cancel_hours=0)  # the whole amount comes back
	def test_cancelling_refunds_by_a_recorded_return_and_reverses_the_ledger(self):
		self.approve(self.record_cash().name)
		doc = frappe.get_doc("HS Booking", self.booking.name, for_update=True)
		cancellation.cancel(doc, "客户电话取消", actor_role=None)
		refund = frappe.get_last_doc("HS Refund", filters={"booking": self.booking.name})
		self.assertEqual((refund.kind, refund.amount_fen), ("Cancellation", self.fen))
		# no provider can hand cash back: the refund waits for a person to do it and record it
		self.assertEqual(submit_refund(refund.name), "Processing")
		self.assertEqual(frappe.db.get_value("HS Refund", refund.name, "status"), "Processing")

		returned = record(
			self.service,
			payment_type="Refund",
			refund=refund.name,
			amount=refund.amount,
			method="Bank Transfer",
			reference="TRX-889901",
		)
		self.assertEqual(returned.booking, self.booking.name)
		self.approve(returned.name)
		self.approve(returned.name)  # twice: once
		refund.reload()
		self.assertEqual((refund.status, refund.provider_refund_id), ("Succeeded", returned.name))
		booking = frappe.get_doc("HS Booking", self.booking.name)
		self.assertEqual((booking.status, booking.payment_status), (Status.REFUNDED, "Refunded"))
		self.assertEqual(by_account(booking.name), {"Offline Clearing": 0, "Customer Prepaid": 0})
		self.assertEqual(len(ledger_rows(booking.name)), 4)
		self.assertEqual(unbalanced_keys(), [])
		self.assertEqual(submit_refund(refund.name), "Succeeded")  # the retry job finds it done
		issues = reconcile_day(now_datetime().date()).get(OFFLINE, {}).get("issues")
		self.assertEqual(issues, 0)

	def test_a_staff_refund_is_approved_then_handed_back_and_approved_again(self):
		self.approve(self.record_cash().name)
		half = self.booking.grand_total / 2
		refund = as_user(self.service, request_staff_refund, self.booking.name, half, "少做一项")
		with self.assertRaises(offline.OfflinePaymentStateError):
			record(self.service, payment_type="Refund", refund=refund.name, amount=refund.amount)
		as_user(self.finance, decide, refund.name, True)
		self.assertEqual(submit_refund(refund.name), "Processing")
		with self.assertRaises(offline.OfflineAmountError):
			record(self.service, payment_type="Refund", refund=refund.name, amount=refund.amount + 1)
		returned = record(self.service, payment_type="Refund", refund=refund.name, amount=refund.amount)
		self.approve(returned.name)
		booking = frappe.get_doc("HS Booking", self.booking.name)
		self.assertEqual(
			(booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Partially Refunded")
		)
		self.assertEqual(
			by_account(booking.name),
			{
				"Offline Clearing": self.fen - refund.amount_fen,
				"Customer Prepaid": refund.amount_fen - self.fen,
			},
		)
