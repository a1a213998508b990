"""Alipay mini-program payments against the local fake gateway (security plan case 14)."""

from urllib.parse import parse_qsl

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing.notifications import handle
from home_service.billing.payments import start_payment
from home_service.billing.refunds import submit_refund
from home_service.booking import policy
from home_service.booking.lifecycle import Status
from home_service.tests.billing_fixtures import ledger_rows, payable_booking
from home_service.tests.fakes import new_keypair
from home_service.tests.providers import fake_alipay_pay

ALI = "Alipay"


class TestAlipay(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("ali_test")

	def tearDown(self):
		frappe.db.rollback(save_point="ali_test")

	def test_trade_create_notify_and_duplicate(self):
		with fake_alipay_pay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, ALI)
			self.assertEqual(start_payment(booking.name, ALI), params)
			self.assertEqual(fake.counts["trades"], 1)
			trade = fake.trades[params["out_trade_no"]]
			self.assertEqual(params["tradeNO"], trade["trade_no"])
			self.assertEqual(trade["cents"], int(booking.grand_total * 100))
			body = fake.paid_notification(params["out_trade_no"])
			response = handle(ALI, {}, body)
			self.assertEqual(response.get_data(as_text=True), "success")
			booking.reload()
			self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Paid"))
			self.assertEqual(handle(ALI, {}, body).get_data(as_text=True), "success")  # resent
			self.assertEqual(len(ledger_rows(booking.name)), 2)

	def test_tampered_forged_foreign_and_unpaid_notifications_change_nothing(self):
		with fake_alipay_pay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, ALI)
			no = params["out_trade_no"]
			cases = [
				(fake.paid_notification(no, tamper={"total_amount": "0.01"}), "failure", "signature"),
				(fake.paid_notification(no, sign_with=new_keypair()), "failure", "signature"),
			]
			fields = dict(parse_qsl(fake.paid_notification(no).decode()))
			fields.pop("sign")
			cases.append((fake.sign_form({**fields, "app_id": "2021000000000000"}), "failure", "app_id"))
			cases.append(
				(fake.sign_form({**fields, "seller_id": "2088000000000000"}), "failure", "seller_id")
			)
			cases.append((fake.sign_form({**fields, "total_amount": "0.01"}), "failure", "amount"))
			cases.append((fake.sign_form({**fields, "trade_status": "WAIT_BUYER_PAY"}), "success", "state"))
			cases.append((b"not a form at all \xff", "failure", "form"))
			for body, answer, reason in cases:
				with self.subTest(reason=reason):
					self.assertEqual(handle(ALI, {}, body).get_data(as_text=True), answer)
					booking.reload()
					self.assertEqual(booking.payment_status, "Unpaid")
					self.assertEqual(ledger_rows(booking.name), [])

	def test_cancelling_a_paid_booking_refunds_through_alipay(self):
		with fake_alipay_pay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, ALI)
			handle(ALI, {}, fake.paid_notification(params["out_trade_no"]))
			booking = frappe.get_doc("HS Booking", booking.name, for_update=True)
			policy.cancel(booking, "plans changed")
			refund = frappe.get_last_doc("HS Refund", filters={"booking": booking.name})
			self.assertEqual(submit_refund(refund.name), "Succeeded")
			self.assertEqual(submit_refund(refund.name), "Succeeded")  # a re-run is a no-op
			self.assertEqual(fake.counts["refunds"], 1)
			booking.reload()
			self.assertEqual((booking.status, booking.payment_status), (Status.REFUNDED, "Refunded"))
			self.assertEqual(sum(r.amount_fen for r in ledger_rows(booking.name)), 0)
