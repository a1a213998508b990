# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.marketing import points
from home_service.marketing.errors import PointsError
from home_service.tests.factories import make_customer


class TestHSPointsAccount(FrappeTestCase):
	def test_follows_the_ledger_and_refuses_overdrafts(self):
		customer = make_customer()
		self.assertEqual(points.balance(customer, lock=True), 0)  # created at 0 on first use
		points.post(customer, 40, "Adjustment", f"test:{customer}:1")
		points.post(customer, -15, "Redemption", f"test:{customer}:2")
		self.assertRaises(PointsError, points.post, customer, -26, "Redemption", f"test:{customer}:3")
		self.assertEqual(frappe.db.get_value("HS Points Account", customer, "balance"), 25)
		self.assertEqual(points.balance(customer), 25)
		self.assertEqual(points.balance(customer, lock=True), 25)
