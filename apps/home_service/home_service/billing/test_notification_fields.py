# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Every verified notification must be about our merchant and our row (security plan cases 11, 14,
22): a payment, refund or transfer notification whose amount, merchant, app, currency, trade or
payee differs — or is missing — is recorded for review and changes nothing; the genuine one then
applies. Query answers (our own signed calls) are not held to fields their protocol does not send."""

from urllib.parse import parse_qsl

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing import withdrawals as wd
from home_service.billing.notifications import handle
from home_service.billing.payments import confirm_payment, start_payment
from home_service.billing.refunds import submit_refund
from home_service.booking import cancellation
from home_service.tests.billing_fixtures import ledger_rows, pay_with_wechat, payable_booking
from home_service.tests.earnings_fixtures import entries, fund, payout_technician
from home_service.tests.factories import uid
from home_service.tests.providers import fake_alipay_pay, fake_wechatpay

WX, ALI = "WeChat Pay", "Alipay"
LOG = "HS Payment Notification"


def last_log(reference: str):
	return frappe.get_last_doc(LOG, filters={"reference": reference})


class TestNotificationFields(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("notify_fields")

	def tearDown(self):
		frappe.db.rollback(save_point="notify_fields")

	def test_payment_notification_missing_a_field_is_held_for_review(self):
		with fake_wechatpay() as fake:
			for drop in ("mchid", "appid", "amount.currency", "amount.total"):
				with self.subTest(drop=drop):
					booking = payable_booking()
					params = start_payment(booking.name, WX)
					paid = fake.user_pays(params["out_trade_no"])
					outer, _, inner = drop.partition(".")
					resource = {**paid, "amount": dict(paid["amount"])}
					(resource[outer].pop(inner) if inner else resource.pop(outer))
					response = handle(WX, *fake.notification("TRANSACTION.SUCCESS", resource))
					self.assertEqual(response.status_code, 400)
					payment = frappe.get_doc("HS Payment", params["payment"])
					self.assertEqual(payment.status, "Review")
					self.assertIn("missing", payment.review_reason)
					self.assertEqual(ledger_rows(booking.name), [])
					self.assertEqual(last_log(params["out_trade_no"]).outcome, "Review")

	def refund_in_flight(self, fake):
		booking = payable_booking()
		pay_with_wechat(fake, booking)
		cancellation.cancel(frappe.get_doc("HS Booking", booking.name, for_update=True), "plans changed")
		refund = frappe.get_last_doc("HS Refund", filters={"booking": booking.name})
		fake.knobs.refund_state = "PROCESSING"
		self.assertEqual(submit_refund(refund.name), "Processing")
		fake.finish_refund(refund.out_refund_no)
		return booking, refund

	def test_refund_notification_is_checked_before_it_applies(self):
		with fake_wechatpay() as fake:
			booking, refund = self.refund_in_flight(fake)
			no = refund.out_refund_no
			amount = {"total": int(booking.paid_amount * 100), "refund": refund.amount_fen, "currency": "CNY"}
			bad = {
				"refund amount": {"change": {"amount": {**amount, "refund": refund.amount_fen - 1}}},
				"refund amount is missing": {"drop": ("amount.refund",)},
				"mchid does not": {"change": {"mchid": "1900000001"}},
				"mchid is missing": {"drop": ("mchid",)},
				"out_trade_no does not": {"change": {"out_trade_no": "HS-someone-else"}},
				"out_trade_no is missing": {"drop": ("out_trade_no",)},
				"payment amount": {"change": {"amount": {**amount, "total": amount["total"] + 100}}},
				"amount.total is missing": {"drop": ("amount.total",)},
			}
			for reason, alter in bad.items():
				with self.subTest(reason=reason):
					response = handle(WX, *fake.refund_notification(no, **alter))
					self.assertEqual(response.status_code, 400)
					log = last_log(no)
					self.assertEqual((log.outcome, log.refund), ("Review", refund.name))
					self.assertIn(reason, log.reason)
					row = frappe.get_doc("HS Refund", refund.name)
					self.assertEqual(row.status, "Processing")
					self.assertIn("review", row.last_error)
					self.assertFalse(
						[r for r in ledger_rows(booking.name) if r.posting_key.endswith(":succeeded")]
					)
			self.assertEqual(handle(WX, *fake.refund_notification(no)).status_code, 204)
			self.assertEqual(frappe.db.get_value("HS Refund", refund.name, "status"), "Succeeded")
			self.assertEqual(sum(r.amount_fen for r in ledger_rows(booking.name)), 0)

	def test_transfer_notification_is_checked_before_it_applies(self):
		with fake_wechatpay() as fake:
			technician = payout_technician()
			fund(technician, 100_00)
			doc = wd.request_withdrawal(technician, "30.00", WX, uid("k-"))
			wd.approve(doc.name)
			self.assertEqual(wd.submit_payout(doc.name), "Waiting User Confirmation")
			fake.user_confirms_transfer(doc.out_bill_no, "SUCCESS")
			bad = {
				"transfer amount does not": {"change": {"transfer_amount": 300_00}},
				"transfer amount is missing": {"drop": ("transfer_amount",)},
				"mchid does not": {"change": {"mch_id": "1900000001"}},
				"mchid is missing": {"drop": ("mch_id",)},
				"payee does not": {"change": {"openid": "o-someone-else"}},
				"openid is missing": {"drop": ("openid",)},
			}
			for reason, alter in bad.items():
				with self.subTest(reason=reason):
					response = handle(WX, *fake.transfer_notification(doc.out_bill_no, **alter))
					self.assertEqual(response.status_code, 400)
					log = last_log(doc.out_bill_no)
					self.assertEqual(log.outcome, "Review")
					self.assertIn(reason, log.reason)
					self.assertEqual(
						frappe.db.get_value(wd.WITHDRAWAL, doc.name, "status"), "Waiting User Confirmation"
					)
					self.assertEqual(entries(posting_key=f"{doc.name}:paid"), [])
			self.assertEqual(handle(WX, *fake.transfer_notification(doc.out_bill_no)).status_code, 204)
			self.assertEqual(frappe.db.get_value(wd.WITHDRAWAL, doc.name, "status"), "Paid")
			self.assertEqual(len(entries(posting_key=f"{doc.name}:paid")), 2)

	def test_transfer_notification_for_a_bill_we_never_sent_is_for_review(self):
		with fake_wechatpay() as fake:
			fake.bills["WDNOSUCHBILL01"] = {
				"mch_id": fake.mchid,
				"out_bill_no": "WDNOSUCHBILL01",
				"transfer_bill_no": "1330x",
				"transfer_amount": 100,
				"openid": "o-x",
				"state": "SUCCESS",
			}
			response = handle(WX, *fake.transfer_notification("WDNOSUCHBILL01"))
			self.assertEqual(response.status_code, 400)
			self.assertEqual(last_log("WDNOSUCHBILL01").outcome, "Review")

	def test_alipay_notification_without_app_or_seller_is_held_for_review(self):
		with fake_alipay_pay() as fake:
			for drop, reason in (
				("app_id", "app_id is missing"),
				("seller_id", "seller_id is missing"),
				("total_amount", "amount is missing"),
			):
				with self.subTest(drop=drop):
					booking = payable_booking()
					params = start_payment(booking.name, ALI)
					fields = dict(parse_qsl(fake.paid_notification(params["out_trade_no"]).decode()))
					fields.pop("sign")
					fields.pop(drop)
					self.assertEqual(
						handle(ALI, {}, fake.sign_form(fields)).get_data(as_text=True), "failure"
					)
					payment = frappe.get_doc("HS Payment", params["payment"])
					self.assertEqual(payment.status, "Review")
					self.assertIn(reason, payment.review_reason)
					self.assertEqual(ledger_rows(booking.name), [])

	def test_query_answers_need_only_the_fields_their_protocol_sends(self):
		# alipay.trade.query answers carry no app_id nor seller_id: the client's confirm still works
		with fake_alipay_pay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, ALI)
			fake.user_pays(params["out_trade_no"])
			self.assertEqual(confirm_payment(booking.name), "Paid")
			self.assertEqual(len(ledger_rows(booking.name)), 2)
