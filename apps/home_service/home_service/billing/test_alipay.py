"""Alipay mini-program payments against the local fake gateway (security plan case 14), and the\nclient's refund, transfer and query paths when Alipay is slow, failing or still processing (19, 22)."""

import json
from urllib.parse import parse_qsl

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing import jobs
from home_service.billing import withdrawals as wd
from home_service.billing.gateways.base import GatewayError
from home_service.billing.ledger import unbalanced_keys
from home_service.billing.notifications import handle
from home_service.billing.payments import confirm_payment, start_payment
from home_service.billing.refunds import submit_refund
from home_service.booking import cancellation
from home_service.booking.lifecycle import Status
from home_service.integrations.fakes import new_keypair
from home_service.tests.billing_fixtures import ledger_rows, payable_booking
from home_service.tests.earnings_fixtures import entries, fund, payout_technician
from home_service.tests.factories import uid
from home_service.tests.providers import fake_alipay_pay, site_conf

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
			cancellation.cancel(booking, "plans changed")
			refund = frappe.get_last_doc("HS Refund", filters={"booking": booking.name})
			self.assertEqual(submit_refund(refund.name), "Succeeded")
			self.assertEqual(submit_refund(refund.name), "Succeeded")  # a re-run is a no-op
			self.assertEqual(fake.counts["refunds"], 1)
			booking.reload()
			self.assertEqual((booking.status, booking.payment_status), (Status.REFUNDED, "Refunded"))
			self.assertEqual(sum(r.amount_fen for r in ledger_rows(booking.name)), 0)


class TestAlipayBadDays(FrappeTestCase):
	"""The Alipay client against a provider that is slow, failing or still processing: the same
	out_request_no / out_biz_no every time, money moved once, the ledger balanced."""

	def setUp(self):
		frappe.db.savepoint("ali_bad_day")
		self.fake = self.enterContext(fake_alipay_pay())
		self.enterContext(site_conf(hs_gateway_timeout=2))

	def tearDown(self):
		frappe.db.rollback(save_point="ali_bad_day")

	def paid_and_cancelled(self):
		booking = payable_booking()
		params = start_payment(booking.name, ALI)
		self.assertEqual(
			handle(ALI, {}, self.fake.paid_notification(params["out_trade_no"])).status, "200 OK"
		)
		cancellation.cancel(frappe.get_doc("HS Booking", booking.name, for_update=True), "plans changed")
		return booking, frappe.get_last_doc("HS Refund", filters={"booking": booking.name})

	def refund_requests(self) -> list[str]:
		"""out_request_no of every alipay.trade.refund that reached the fake (failed ones too)."""
		return [
			json.loads(dict(r.query, **r.form()).get("biz_content") or "{}").get("out_request_no")
			for r in self.fake.requests
			if dict(r.query, **r.form()).get("method") == "alipay.trade.refund"
		]

	def assert_refunded_once(self, booking, refund):
		self.assertEqual(self.fake.counts["refunds"], 1)
		self.assertEqual(list(self.fake.refunds), [(refund.payment_out_trade_no, refund.out_refund_no)])
		booking.reload()
		self.assertEqual((booking.status, booking.payment_status), (Status.REFUNDED, "Refunded"))
		self.assertEqual(sum(r.amount_fen for r in ledger_rows(booking.name)), 0)

	def test_refund_in_process_until_alipay_finishes_it(self):
		self.fake.knobs.refund_state = "PROCESSING"
		booking, refund = self.paid_and_cancelled()
		refund.payment_out_trade_no = frappe.db.get_value("HS Payment", refund.payment, "out_trade_no")
		self.assertEqual(submit_refund(refund.name), "Processing")  # fund_change=N, no refund_status
		self.assertEqual(submit_refund(refund.name), "Processing")  # asked again: still in process
		self.assertEqual(frappe.db.get_value("HS Refund", refund.name, "status"), "Processing")
		self.fake.finish_refund(refund.payment_out_trade_no, refund.out_refund_no)
		self.assertEqual(submit_refund(refund.name), "Succeeded")
		self.assertEqual(set(self.refund_requests()), {refund.out_refund_no})
		self.assert_refunded_once(booking, refund)

	def test_refund_timeout_is_asked_about_with_the_same_out_request_no(self):
		booking, refund = self.paid_and_cancelled()
		refund.payment_out_trade_no = frappe.db.get_value("HS Payment", refund.payment, "out_trade_no")
		self.fake.knobs.slow["alipay.trade.refund"] = 3  # longer than the client waits: Alipay took it
		self.assertEqual(submit_refund(refund.name), "Processing")
		self.assertIn("Alipay", frappe.db.get_value("HS Refund", refund.name, "last_error"))
		self.fake.knobs.slow.clear()
		self.assertEqual(submit_refund(refund.name), "Succeeded")  # the query finds it: not resent
		self.assertEqual(self.fake.calls[f"refund:{refund.out_refund_no}"], 1)
		self.assert_refunded_once(booking, refund)

	def test_refund_5xx_is_resent_with_the_same_out_request_no(self):
		booking, refund = self.paid_and_cancelled()
		refund.payment_out_trade_no = frappe.db.get_value("HS Payment", refund.payment, "out_trade_no")
		self.fake.knobs.fail_next["alipay.trade.refund"] = 1
		self.assertEqual(submit_refund(refund.name), "Processing")
		self.assertEqual(self.fake.counts["refunds"], 0)
		self.assertEqual(submit_refund(refund.name), "Succeeded")  # not found by the query: sent again
		self.assertEqual(self.refund_requests(), [refund.out_refund_no, refund.out_refund_no])
		self.assert_refunded_once(booking, refund)

	def withdrawal(self, amount="25.00"):
		technician = payout_technician()
		fund(technician, 100_00)
		doc = wd.request_withdrawal(technician, amount, ALI, uid("k-"))
		wd.approve(doc.name)
		return technician, doc

	def test_transfer_dealing_then_success_pays_once(self):
		self.fake.knobs.transfer_state = "DEALING"
		technician, doc = self.withdrawal()
		self.assertEqual(wd.submit_payout(doc.name), "Processing")
		self.assertEqual(wd.submit_payout(doc.name), "Processing")  # the query says DEALING: nothing resent
		self.assertEqual(self.fake.calls[f"transfer:{doc.out_bill_no}"], 1)
		self.fake.finish_transfer(doc.out_bill_no, "SUCCESS")
		self.assertEqual(wd.submit_payout(doc.name), "Paid")
		self.assertEqual(wd.submit_payout(doc.name), "Paid")
		self.assertEqual(self.fake.counts["transfers"], 1)
		self.assertEqual(wd.available_fen(technician), 75_00)
		self.assertEqual(len(entries(posting_key=f"{doc.name}:paid")), 2)
		self.assertEqual(unbalanced_keys(), [])

	def test_transfer_fail_at_once_or_after_dealing_returns_the_money(self):
		self.fake.knobs.transfer_state = "FAIL"
		technician, failed = self.withdrawal("25.00")
		self.assertEqual(wd.submit_payout(failed.name), "Failed")
		self.assertEqual(frappe.db.get_value(wd.WITHDRAWAL, failed.name, "status"), "Failed")
		self.fake.knobs.transfer_state = "DEALING"
		doc = wd.request_withdrawal(technician, "30.00", ALI, uid("k-"))
		wd.approve(doc.name)
		self.assertEqual(wd.submit_payout(doc.name), "Processing")
		self.fake.finish_transfer(doc.out_bill_no, "FAIL")
		self.assertEqual(wd.submit_payout(doc.name), "Failed")
		self.assertEqual(frappe.db.get_value(wd.WITHDRAWAL, doc.name, "fail_reason"), "收款账户状态异常")
		self.assertEqual(wd.submit_payout(doc.name), "Failed")
		self.assertEqual(wd.available_fen(technician), 100_00)
		for row in (failed, doc):
			self.assertEqual(len(entries(posting_key=f"{row.name}:returned")), 2)
			self.assertEqual(entries(posting_key=f"{row.name}:paid"), [])
		self.assertEqual(unbalanced_keys(), [])

	def test_transfer_5xx_then_timeout_never_sends_twice(self):
		technician, doc = self.withdrawal()
		self.fake.knobs.fail_next["alipay.fund.trans.uni.transfer"] = 1
		self.assertEqual(wd.submit_payout(doc.name), "Processing")
		self.assertEqual(self.fake.transfers, {})
		self.fake.knobs.slow["alipay.fund.trans.uni.transfer"] = 3  # the resend times out, but lands
		self.assertEqual(wd.submit_payout(doc.name), "Processing")
		self.fake.knobs.slow.clear()
		self.assertEqual(wd.submit_payout(doc.name), "Paid")  # the query finds the transfer
		self.assertEqual(self.fake.calls[f"transfer:{doc.out_bill_no}"], 1)
		self.assertEqual(self.fake.counts["transfers"], 1)
		self.assertEqual(wd.available_fen(technician), 75_00)

	def test_trade_query_after_an_outage(self):
		booking = payable_booking()
		params = start_payment(booking.name, ALI)
		self.assertEqual(confirm_payment(booking.name), "Unpaid")  # WAIT_BUYER_PAY
		self.fake.user_pays(params["out_trade_no"])
		self.fake.knobs.fail_next["alipay.trade.query"] = 1
		with self.assertRaises(GatewayError):
			confirm_payment(booking.name)
		self.assertEqual(jobs.recover_payment(params["payment"]), "Applied")
		self.assertEqual(jobs.recover_payment(params["payment"]), "Paid")
		self.assertEqual(confirm_payment(booking.name), "Paid")
		self.assertEqual(len(ledger_rows(booking.name)), 2)
