# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Recycling paid by transfer instead of the wallet (the customer's choice or the settings): one
out_bill_no minted before the provider is called, the same key on every retry, never paid twice,
a transfer that finally fails credited to the wallet once, every ledger transaction balanced."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from home_service.billing import jobs, recycling
from home_service.billing import recycling_payouts as rp
from home_service.billing.accounts import Account
from home_service.billing.ledger import owed_fen, unbalanced_keys
from home_service.billing.notifications import handle
from home_service.billing.test_recycling import PHOTO, price
from home_service.booking.lifecycle import Status
from home_service.tests.customer_fixtures import api
from home_service.tests.earnings_fixtures import earnings_settings, entries, payout_technician
from home_service.tests.factories import advance, make_booking, make_customer, make_item, make_user, uid
from home_service.tests.providers import fake_alipay_pay, fake_wechatpay

WX = "WeChat Pay"
C = "HS Customer"


class TestRecyclingTransfer(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("rc_transfer")
		self.paper = uid("废纸-")
		price(self.paper, "2.00")
		self.enterContext(
			earnings_settings(
				recycling_payout_method="Transfer",
				recycling_transfer_gateway=WX,
				recycling_max_per_pickup=500,
				recycling_max_per_customer_day=1000,
				recycling_review_kg=200,
				recycling_require_photo=1,
			)
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="rc_transfer")

	def pickup(self, kg=10, payout=None, customer=None):
		"""A recycling pickup weighed on site for a customer who logged in with WeChat and Alipay."""
		customer = customer or make_customer(wechat_openid="o" + uid(), alipay_user_id="2088" + uid())
		item = make_item(pricing_model="Recycling", specs=[{"spec_name": "废纸", "price": 1.2}])
		booking = make_booking(customer=customer, items=[{"service_item": item, "quantity": 10}])
		booking = advance(booking, Status.IN_SERVICE, technician=payout_technician())
		lines = [{"waste_type": self.paper, "weight_kg": kg}]
		return recycling.record_pickup(booking, booking.technician, lines, PHOTO, payout=payout)

	def owed(self, account, customer):
		return owed_fen(account, C, customer)

	def assert_paid_once(self, pickup, to_wallet: bool):
		"""The pickup's money reached the customer once: by the provider, or into the wallet."""
		self.assertEqual(self.owed(Account.CUSTOMER_PAYOUT, pickup.customer), 0)
		self.assertEqual(
			self.owed(Account.CUSTOMER_WALLET, pickup.customer), pickup.total_fen if to_wallet else 0
		)
		keys = {row.posting_key for row in entries(voucher_no=pickup.name)}
		settled = {f"{pickup.name}:recycling-transferred", f"{pickup.name}:recycling-to-wallet"}
		self.assertEqual(len(keys & settled), 1, keys)
		self.assertEqual(unbalanced_keys(), [])

	def test_paid_by_wechat_transfer_once_the_customer_accepts(self):
		with fake_wechatpay() as fake:
			pickup = self.pickup(kg=10)
			self.assertEqual(
				(pickup.status, pickup.payout_method, pickup.payout_status), ("Paid", "Transfer", "Pending")
			)
			self.assertTrue(pickup.out_bill_no.startswith("RC"))
			self.assertEqual(pickup.payee_ref, frappe.db.get_value(C, pickup.customer, "wechat_openid"))
			self.assertEqual(self.owed(Account.CUSTOMER_PAYOUT, pickup.customer), 2000)  # owed, on its way
			self.assertEqual(self.owed(Account.CUSTOMER_WALLET, pickup.customer), 0)

			self.assertEqual(rp.submit_transfer(pickup.name), "Waiting User Confirmation")
			bill = fake.bills[pickup.out_bill_no]
			self.assertEqual((bill["transfer_amount"], bill["openid"]), (2000, pickup.payee_ref))
			sent = fake.requests[-1].json()
			self.assertEqual(sent["transfer_scene_id"], "1010")  # 二手回收, not the technicians' scene
			pickup.reload()
			self.assertEqual(rp.confirm_params(pickup)["package"], pickup.package_info)

			fake.user_confirms_transfer(pickup.out_bill_no, "SUCCESS")
			self.assertEqual(handle(WX, *fake.transfer_notification(pickup.out_bill_no)).status_code, 204)
			self.assertEqual(handle(WX, *fake.transfer_notification(pickup.out_bill_no)).status_code, 204)
			self.assertEqual(rp.submit_transfer(pickup.name), "Transferred")  # the job: nothing more
			recycling.pay(pickup.name)  # a retried payment of the pickup: nothing more either
			self.assertEqual(fake.counts["transfers"], 1)
		pickup.reload()
		self.assertEqual(pickup.payout_status, "Transferred")
		self.assertIsNone(rp.confirm_params(pickup))
		self.assert_paid_once(pickup, to_wallet=False)

	def test_provider_failure_then_retry_uses_the_same_bill_and_pays_once(self):
		with fake_wechatpay() as fake:
			fake.knobs.transfer_state = "SUCCESS"
			pickup = self.pickup()
			fake.knobs.fail_next["transfer"] = 1
			self.assertEqual(rp.submit_transfer(pickup.name), "Processing")  # 5xx: nothing at the provider
			self.assertEqual(fake.bills, {})
			self.assertIn("WeChat Pay", frappe.db.get_value(rp.PICKUP, pickup.name, "last_error"))
			fake.knobs.slow["transfer"] = 3  # the resend lands but the answer comes too late
			self.assertEqual(rp.submit_transfer(pickup.name), "Processing")
			fake.knobs.slow.clear()
			self.assertEqual(list(fake.bills), [pickup.out_bill_no])
			# the retry job picks it up a minute later: it asks, finds the transfer, sends nothing
			frappe.db.set_value(
				rp.PICKUP,
				pickup.name,
				"modified",
				add_to_date(now_datetime(), minutes=-2),
				update_modified=False,
			)
			jobs.follow_up_payments_refunds_transfers()
			self.assertEqual(frappe.db.get_value(rp.PICKUP, pickup.name, "payout_status"), "Transferred")
			self.assertEqual(fake.counts["transfers"], 1)
			self.assertEqual(frappe.db.get_value(rp.PICKUP, pickup.name, "out_bill_no"), pickup.out_bill_no)
		self.assert_paid_once(pickup, to_wallet=False)

	def test_a_failed_or_cancelled_transfer_is_credited_to_the_wallet_once(self):
		with fake_wechatpay() as fake:
			fake.knobs.transfer_state = "FAIL"
			failed = self.pickup()
			self.assertEqual(rp.submit_transfer(failed.name), "Credited to Wallet")
			self.assertEqual(rp.submit_transfer(failed.name), "Credited to Wallet")
			fake.knobs.transfer_state = "WAIT_USER_CONFIRM"
			expired = self.pickup(kg=5)
			self.assertEqual(rp.submit_transfer(expired.name), "Waiting User Confirmation")
			fake.user_confirms_transfer(expired.out_bill_no, "CANCELLED")  # never accepted
			self.assertEqual(handle(WX, *fake.transfer_notification(expired.out_bill_no)).status_code, 204)
			handle(WX, *fake.transfer_notification(expired.out_bill_no))
			self.assertEqual(fake.counts["transfers"], 2)
		for pickup in (failed, expired):
			pickup.reload()
			self.assertEqual(pickup.payout_status, "Credited to Wallet")
			self.assertTrue(pickup.fail_reason)
			self.assert_paid_once(pickup, to_wallet=True)

	def test_a_forged_amount_in_the_notification_changes_nothing(self):
		with fake_wechatpay() as fake:
			pickup = self.pickup()
			rp.submit_transfer(pickup.name)
			fake.user_confirms_transfer(pickup.out_bill_no, "SUCCESS")
			wrong = fake.transfer_notification(pickup.out_bill_no, change={"transfer_amount": 1})
			self.assertEqual(handle(WX, *wrong).status_code, 400)
			self.assertEqual(
				frappe.db.get_value(rp.PICKUP, pickup.name, "payout_status"), "Waiting User Confirmation"
			)
			self.assertEqual(self.owed(Account.CUSTOMER_PAYOUT, pickup.customer), 2000)

	def test_the_customer_chooses_and_the_settings_fall_back(self):
		with fake_wechatpay():
			wallet = self.pickup(payout="Wallet")  # the customer's choice beats the setting
			self.assertEqual((wallet.payout_method, wallet.payout_status), ("Wallet", "Credited to Wallet"))
			self.assertEqual(self.owed(Account.CUSTOMER_WALLET, wallet.customer), 2000)
			no_wechat = make_customer()
			fallback = self.pickup(customer=no_wechat)  # the setting says Transfer, but to where?
			self.assertEqual(fallback.payout_method, "Wallet")
			with self.assertRaises(recycling.RecyclingError):
				self.pickup(customer=make_customer(), payout="Transfer")
			with self.assertRaises(recycling.RecyclingError):
				self.pickup(payout="Cash")
		with (
			earnings_settings(recycling_payout_method="Wallet", recycling_transfer_gateway="Alipay"),
			fake_alipay_pay(),
		):
			chosen = self.pickup(payout="Transfer")
			self.assertEqual((chosen.payout_method, chosen.payout_gateway), ("Transfer", "Alipay"))
			self.assertEqual(rp.submit_transfer(chosen.name), "Transferred")
		self.assert_paid_once(chosen, to_wallet=False)

	def test_a_pickup_in_review_is_transferred_when_approved_once(self):
		with fake_wechatpay() as fake:
			fake.knobs.transfer_state = "SUCCESS"
			pickup = self.pickup(kg="200.5")  # heavier than the review limit
			self.assertEqual((pickup.status, pickup.payout_status or None), ("Review", None))
			self.assertFalse(rp.submit_transfer(pickup.name))  # nothing to send before approval
			frappe.set_user(make_user(["HS Finance"]))
			recycling.approve(pickup.name)
			recycling.approve(pickup.name)
			frappe.set_user("Administrator")
			self.assertEqual(rp.submit_transfer(pickup.name), "Transferred")
			self.assertEqual(fake.counts["transfers"], 1)
		self.assert_paid_once(frappe.get_doc(rp.PICKUP, pickup.name), to_wallet=False)

	def test_the_customer_sees_where_the_money_is_and_only_for_their_pickup(self):
		user = make_user(["HS Customer"], user_type="Website User")
		customer = make_customer(user=user, wechat_openid="o" + uid())
		with fake_wechatpay() as fake:
			pickup = self.pickup(customer=customer)
			rp.submit_transfer(pickup.name)
			with self.set_user(user):
				seen = api("customer.payments.recycling_payout", booking=pickup.booking)
			self.assertEqual(
				(seen["payout_method"], seen["payout_status"], seen["amount"]),
				("Transfer", "Waiting User Confirmation", "20.00"),
			)
			self.assertEqual(seen["confirm_params"]["mchId"], fake.mchid)
			self.assertTrue(seen["confirm_params"]["package"])
			other = make_user(["HS Customer"], user_type="Website User")
			make_customer(user=other)
			with self.set_user(other), self.assertRaises(frappe.DoesNotExistError):
				api("customer.payments.recycling_payout", booking=pickup.booking)
			waiting = make_booking(customer=customer)  # nothing weighed yet
			with self.set_user(user):
				self.assertIsNone(api("customer.payments.recycling_payout", booking=waiting.name)["status"])

	def test_settings_accept_only_gateways_that_pay_out(self):
		with self.assertRaises(frappe.ValidationError):
			with earnings_settings(recycling_transfer_gateway="Bank"):
				pass
