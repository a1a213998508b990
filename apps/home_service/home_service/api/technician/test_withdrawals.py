# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Technician withdrawal endpoints: Idempotency-Key, paging, my rows only, confirm params;
the recycling endpoint; the customer's wallet."""

from contextlib import contextmanager

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import nowdate

from home_service.api.customer import wallet
from home_service.api.technician import recycling as recycling_api
from home_service.api.technician import withdrawals as api
from home_service.billing import withdrawals as wd
from home_service.booking.lifecycle import Status
from home_service.tests.earnings_fixtures import fund
from home_service.tests.factories import advance, make_booking, make_customer, make_item, uid
from home_service.tests.providers import fake_wechatpay
from home_service.tests.technician_fixtures import technician_with_user


@contextmanager
def headers(**values):
	previous = getattr(frappe.local, "request", None)
	frappe.local.request = Request(EnvironBuilder(headers=values).get_environ())
	try:
		yield
	finally:
		frappe.local.request = previous


class TestWithdrawalEndpoints(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("wd_api")
		self.technician, self.user = technician_with_user()
		frappe.db.set_value("HS Technician", self.technician, "wechat_openid", "o" + uid())
		fund(self.technician, 500_00)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="wd_api")

	def test_withdraw_replays_by_header_and_lists_only_mine(self):
		with self.set_user(self.user), headers(**{"Idempotency-Key": "tap-00000001"}):
			first = api.withdraw("50.00")
			again = api.withdraw("50.00")
		self.assertEqual(
			(first["status"], first["amount"], first["replayed"]), ("Pending Approval", "50.00", False)
		)
		self.assertEqual((again["name"], again["replayed"]), (first["name"], True))
		with self.set_user(self.user):
			self.assertRaises(frappe.ValidationError, api.withdraw, "50.00")  # no key at all
			api.withdraw("20.00", idempotency_key="tap-00000002")
			page = api.list_withdrawals(page=1, page_size=1)
			self.assertEqual((page["total"], len(page["items"]), page["has_more"]), (2, 1, True))
			self.assertEqual(api.list_withdrawals(status="Paid")["total"], 0)
			self.assertRaises(frappe.ValidationError, api.list_withdrawals, status="Bogus")
		other, other_user = technician_with_user()
		with self.set_user(other_user):
			self.assertRaises(frappe.DoesNotExistError, api.get_withdrawal, first["name"])
			self.assertEqual(api.list_withdrawals()["total"], 0)

	def test_detail_carries_confirm_params_while_waiting(self):
		with fake_wechatpay() as fake:
			with self.set_user(self.user):
				name = api.withdraw("30.00", idempotency_key="tap-00000003")["name"]
				self.assertIsNone(api.get_withdrawal(name)["confirm_params"])
			wd.approve(name)
			wd.submit_payout(name)
			with self.set_user(self.user):
				detail = api.get_withdrawal(name)
			self.assertEqual(detail["status"], "Waiting User Confirmation")
			self.assertEqual(detail["confirm_params"]["mchId"], fake.mchid)
			self.assertTrue(detail["confirm_params"]["package"])

	def test_recycling_endpoint_and_wallet(self):
		waste = uid("纸板-")
		frappe.get_doc(
			{
				"doctype": "HS Recycling Price",
				"waste_type": waste,
				"price_per_kg": "0.95",
				"valid_on": nowdate(),
			}
		).insert(ignore_permissions=True)
		from home_service.tests.factories import make_user

		customer_user = make_user(["HS Customer"], user_type="Website User")
		customer = make_customer(user=customer_user)
		item = make_item(pricing_model="Recycling", specs=[{"spec_name": "纸板", "price": 1}])
		booking = make_booking(customer=customer, items=[{"service_item": item, "quantity": 5}])
		advance(booking, Status.IN_SERVICE, technician=self.technician)
		with self.set_user(self.user):
			prices = recycling_api.recycling_prices()
			self.assertIn({"waste_type": waste, "price_per_kg": "0.95"}, prices["prices"])
			result = recycling_api.record_recycling(booking.name, [{"waste_type": waste, "weight_kg": "4.2"}])
		# no photo → review, nothing paid yet
		self.assertEqual((result["status"], result["total_amount"]), ("Review", "3.99"))
		self.assertTrue(result["review_reasons"])
		from home_service.billing import recycling

		recycling.approve(result["pickup"])
		with self.set_user(customer_user):
			mine = wallet.get_wallet()
		self.assertEqual(mine["balance"], "3.99")
		self.assertEqual(mine["items"][0]["amount"], "3.99")
		self.assertEqual(mine["items"][0]["reference"], result["pickup"])
