# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Withdrawals: limits, approval, and every way the WeChat Pay transfer can go (security case 22):
5xx, timeout, FAIL, CANCELLED, WAIT_USER_CONFIRM then confirmed — always the same out_bill_no, the
ledger reversed only on a final FAIL/CANCELLED, never paid twice. Alipay transfers too."""

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from home_service.billing import withdrawals as wd
from home_service.billing.accounts import Account
from home_service.billing.ledger import owed_fen, unbalanced_keys
from home_service.billing.notifications import handle
from home_service.billing.payout_checks import FAST_ATTEMPTS, SLOW_MINUTES, due_transfers
from home_service.tests.earnings_fixtures import earnings_settings, entries, fund, payout_technician
from home_service.tests.factories import make_user, uid
from home_service.tests.providers import fake_alipay_pay, fake_wechatpay

T = "HS Technician"
WX = "WeChat Pay"


class TestWithdrawals(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("wd_test")
		self.technician = payout_technician()
		fund(self.technician, 100_00)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="wd_test")

	def available(self):
		return owed_fen(Account.TECHNICIAN_AVAILABLE, T, self.technician)

	def request(self, amount="30.00", gateway=WX, key=None):
		return wd.request_withdrawal(self.technician, amount, gateway, key or uid("k-"))

	def approved(self, amount="30.00", gateway=WX):
		doc = self.request(amount, gateway)
		wd.approve(doc.name)
		return doc

	def status(self, doc):
		return frappe.db.get_value(wd.WITHDRAWAL, doc.name, "status")

	# --- requests ---------------------------------------------------------------------------
	def test_request_moves_available_to_payout_pending_and_replays_by_key(self):
		doc = self.request("30.00", key="key-0001")
		self.assertEqual((doc.status, doc.amount_fen), ("Pending Approval", 3000))
		self.assertTrue(doc.out_bill_no.startswith("WD"))
		self.assertEqual(self.available(), 7000)
		self.assertEqual(owed_fen(Account.TECHNICIAN_PAYOUT, T, self.technician), 3000)
		again = self.request("99.00", key="key-0001")  # a retry: the first answer, nothing new
		self.assertEqual((again.name, again.amount_fen), (doc.name, 3000))
		self.assertEqual(self.available(), 7000)

	def test_limits(self):
		with earnings_settings(withdrawal_minimum=10, withdrawal_maximum=60, withdrawals_per_day=2):
			for bad in ("9.99", "0", "-5", "abc", "NaN", "Infinity", "10.001", "60.01"):
				self.assertRaises(wd.WithdrawalError, self.request, bad)
			self.assertRaises(wd.WithdrawalError, self.request, "20", "Bank")
			self.request("60")
			self.assertRaises(wd.InsufficientBalanceError, self.request, "40.01")
			self.request("40")
			self.assertEqual(self.available(), 0)
			fund(self.technician, 50_00)
			self.assertRaises(wd.WithdrawalLimitError, self.request, "10")
		self.assertEqual(frappe.db.count(wd.WITHDRAWAL, {"technician": self.technician}), 2)
		self.assertEqual(unbalanced_keys(), [])

	def test_payee_must_be_known(self):
		frappe.db.set_value(T, self.technician, "alipay_user_id", None)
		with self.assertRaises(wd.WithdrawalError):
			self.request("20", "Alipay")
		self.assertEqual(self.available(), 100_00)

	def test_reject_returns_the_money_and_only_finance_decides(self):
		doc = self.request("25")
		clerk = make_user(["HS Customer Service"])
		frappe.set_user(clerk)
		self.assertRaises(frappe.PermissionError, wd.approve, doc.name)
		self.assertRaises(frappe.PermissionError, wd.reject, doc.name, "no")
		frappe.set_user(make_user(["HS Finance"]))
		self.assertRaises(wd.WithdrawalError, wd.reject, doc.name, " ")
		wd.reject(doc.name, "duplicate request")
		self.assertEqual(self.status(doc), "Rejected")
		self.assertEqual(self.available(), 100_00)
		self.assertRaises(wd.WithdrawalStateError, wd.reject, doc.name, "again")
		self.assertRaises(wd.WithdrawalStateError, wd.approve, doc.name)
		self.assertEqual(self.available(), 100_00)
		self.assertEqual(len(entries(posting_key=f"{doc.name}:returned")), 2)

	# --- payouts (case 22) ------------------------------------------------------------------
	def test_wait_user_confirm_then_confirmed_pays_once(self):
		with fake_wechatpay() as fake:
			doc = self.approved("30")
			self.assertEqual(wd.submit_payout(doc.name), "Waiting User Confirmation")
			doc.reload()
			params = wd.confirm_params(doc)
			self.assertEqual(params["package"], doc.package_info)
			self.assertEqual(params["mchId"], fake.mchid)
			bill = fake.bills[doc.out_bill_no]
			self.assertEqual((bill["transfer_amount"], bill["openid"]), (3000, doc.payee_ref))
			self.assertEqual(wd.submit_payout(doc.name), "Waiting User Confirmation")  # query, no resend
			fake.user_confirms_transfer(doc.out_bill_no, "SUCCESS")
			headers, body = fake.transfer_notification(doc.out_bill_no)
			self.assertEqual(handle(WX, headers, body).status_code, 204)
			self.assertEqual(self.status(doc), "Paid")
			# the query job and a replayed notification change nothing more
			self.assertEqual(wd.submit_payout(doc.name), "Paid")
			headers, body = fake.transfer_notification(doc.out_bill_no)
			handle(WX, headers, body)
			self.assertEqual(fake.counts["transfers"], 1)
		self.assertEqual(len(entries(posting_key=f"{doc.name}:paid")), 2)
		self.assertEqual(owed_fen(Account.TECHNICIAN_PAYOUT, T, self.technician), 0)
		self.assertEqual(self.available(), 70_00)
		self.assertIsNone(wd.confirm_params(frappe.get_doc(wd.WITHDRAWAL, doc.name)))

	def test_5xx_keeps_processing_then_queries_and_resends_the_same_key(self):
		with fake_wechatpay() as fake:
			fake.knobs.transfer_state = "SUCCESS"
			doc = self.approved("30")
			fake.knobs.fail_next["transfer"] = 2
			self.assertEqual(wd.submit_payout(doc.name), "Processing")
			self.assertEqual(self.status(doc), "Processing")
			self.assertEqual(wd.submit_payout(doc.name), "Processing")  # query: not found, resend: 500
			self.assertEqual(fake.bills, {})
			self.assertEqual(wd.submit_payout(doc.name), "Paid")
			self.assertEqual(list(fake.bills), [doc.out_bill_no])
			self.assertEqual(fake.counts["transfers"], 1)
			self.assertEqual(frappe.db.get_value(wd.WITHDRAWAL, doc.name, "out_bill_no"), doc.out_bill_no)
		self.assertEqual(self.available(), 70_00)

	def test_timeout_after_the_provider_took_it_is_not_sent_twice(self):
		with fake_wechatpay() as fake:
			fake.knobs.transfer_state = "PROCESSING"
			doc = self.approved("30")
			fake.knobs.slow["transfer"] = 3  # longer than hs_gateway_timeout=2: the bill exists, we time out
			self.assertEqual(wd.submit_payout(doc.name), "Processing")
			fake.knobs.slow.clear()
			self.assertEqual(list(fake.bills), [doc.out_bill_no])
			self.assertEqual(wd.submit_payout(doc.name), "Processing")  # the query finds it: nothing resent
			self.assertEqual(fake.counts["transfers"], 1)
			fake.user_confirms_transfer(doc.out_bill_no, "SUCCESS")
			self.assertEqual(wd.submit_payout(doc.name), "Paid")
		self.assertEqual(self.available(), 70_00)
		self.assertEqual(unbalanced_keys(), [])

	def test_fail_and_cancelled_are_final_and_return_the_money_once(self):
		with fake_wechatpay() as fake:
			fake.knobs.transfer_state = "FAIL"
			failed = self.approved("30")
			self.assertEqual(wd.submit_payout(failed.name), "Failed")
			self.assertEqual(self.available(), 100_00 - 0)
			fake.knobs.transfer_state = "WAIT_USER_CONFIRM"
			waiting = self.approved("20")
			self.assertEqual(wd.submit_payout(waiting.name), "Waiting User Confirmation")
			self.assertEqual(self.available(), 80_00)
			fake.user_confirms_transfer(waiting.out_bill_no, "CANCELLED")  # the user never accepted
			headers, body = fake.transfer_notification(waiting.out_bill_no)
			handle(WX, headers, body)
			self.assertEqual(self.status(waiting), "Cancelled")
			self.assertEqual(wd.submit_payout(waiting.name), "Cancelled")
			handle(WX, *fake.transfer_notification(waiting.out_bill_no))
			self.assertEqual(fake.counts["transfers"], 2)
		self.assertEqual(self.available(), 100_00)
		self.assertEqual(owed_fen(Account.TECHNICIAN_PAYOUT, T, self.technician), 0)
		for doc in (failed, waiting):
			self.assertEqual(len(entries(posting_key=f"{doc.name}:returned")), 2)
			self.assertEqual(entries(posting_key=f"{doc.name}:paid"), [])
		self.assertEqual(unbalanced_keys(), [])

	def test_retry_job_and_notification_for_unknown_or_unapproved_bills_change_nothing(self):
		with fake_wechatpay():
			doc = self.request("30")
			self.assertEqual(wd.submit_payout(doc.name), "Pending Approval")
			from home_service.billing.gateways.base import Transfer

			self.assertEqual(wd.apply_transfer(WX, Transfer(doc.out_bill_no, "SUCCESS")), "Pending Approval")
			self.assertEqual(wd.apply_transfer(WX, Transfer("WDNOPE", "SUCCESS")), "Unknown")
			self.assertEqual(wd.apply_transfer("Alipay", Transfer(doc.out_bill_no, "FAIL")), "Unknown")
		self.assertEqual(self.status(doc), "Pending Approval")
		self.assertEqual(self.available(), 70_00)

	def test_alipay_transfer_succeeds_with_its_key(self):
		with fake_alipay_pay() as fake:
			doc = self.approved("12.34", gateway="Alipay")
			self.assertEqual(wd.submit_payout(doc.name), "Paid")
			self.assertEqual(wd.submit_payout(doc.name), "Paid")
			self.assertEqual(list(fake.transfers), [doc.out_bill_no])
			self.assertEqual(fake.transfers[doc.out_bill_no]["cents"], 1234)
		self.assertEqual(self.available(), 100_00 - 1234)
		self.assertEqual(Decimal(str(doc.amount)), Decimal("12.34"))

	def test_an_open_transfer_is_checked_slowly_until_the_provider_says_final(self):
		"""After FAST_ATTEMPTS the checks slow down but never stop: a lost notification of an
		accepted transfer, or of one WeChat cancelled when the user let it expire, is still found."""
		with fake_wechatpay() as fake:
			accepted, expired = self.approved("30"), self.approved("20")
			for doc in (accepted, expired):
				self.assertEqual(wd.submit_payout(doc.name), "Waiting User Confirmation")
			self.assertEqual(self.available(), 50_00)

			def queried(doc) -> int:
				return sum(1 for r in fake.requests if r.method == "GET" and r.path.endswith(doc.out_bill_no))

			def tried_long_ago(doc, minutes: int):
				when = add_to_date(now_datetime(), minutes=-minutes)
				frappe.db.set_value(
					wd.WITHDRAWAL,
					doc.name,
					{"attempts": FAST_ATTEMPTS + 5, "last_queried_on": when, "modified": when},
					update_modified=False,
				)

			for doc in (accepted, expired):
				tried_long_ago(doc, 10)
			fake.user_confirms_transfer(accepted.out_bill_no, "SUCCESS")  # notifications never arrive
			fake.user_confirms_transfer(expired.out_bill_no, "CANCELLED")
			wd.retry_payouts()
			self.assertEqual((queried(accepted), queried(expired)), (0, 0))  # checked 10 minutes ago
			self.assertEqual(self.status(accepted), "Waiting User Confirmation")

			for doc in (accepted, expired):
				tried_long_ago(doc, SLOW_MINUTES + 1)
			self.assertTrue(
				{accepted.name, expired.name} <= set(due_transfers(wd.WITHDRAWAL, "status", wd.OPEN))
			)
			wd.retry_payouts()
			self.assertEqual((self.status(accepted), self.status(expired)), ("Paid", "Cancelled"))
			self.assertEqual((queried(accepted), queried(expired)), (1, 1))
			self.assertFalse(
				{accepted.name, expired.name} & set(due_transfers(wd.WITHDRAWAL, "status", wd.OPEN))
			)
			self.assertEqual(fake.counts["transfers"], 2)
		self.assertEqual(self.available(), 70_00)  # the expired 20 came back, the accepted 30 is paid
		self.assertEqual(owed_fen(Account.TECHNICIAN_PAYOUT, T, self.technician), 0)
		self.assertEqual(unbalanced_keys(), [])
