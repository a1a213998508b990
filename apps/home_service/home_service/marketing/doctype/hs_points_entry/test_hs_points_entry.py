# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.marketing import points
from home_service.marketing.errors import PointsError
from home_service.tests.factories import make_customer


class TestHSPointsEntry(FrappeTestCase):
	def entry(self, customer: str, amount, entry_type: str = "Adjustment", **kw):
		return frappe.get_doc(
			{
				"doctype": "HS Points Entry",
				"customer": customer,
				"entry_type": entry_type,
				"points": amount,
				**kw,
			}
		).insert()

	def test_append_only(self):
		doc = self.entry(make_customer(), 10)
		self.assertTrue(doc.reference_key.startswith("adjustment:"))
		doc.points = 1000
		self.assertRaises(frappe.ValidationError, doc.save)
		self.assertRaises(frappe.ValidationError, frappe.delete_doc, "HS Points Entry", doc.name)

	def test_whole_non_zero_points(self):
		customer = make_customer()
		for bad in (0, 1.5):
			self.assertRaises(PointsError, self.entry, customer, bad)

	def test_debit_cannot_exceed_the_balance(self):
		customer = make_customer()
		self.entry(customer, 10)
		self.assertRaisesRegex(PointsError, "Not enough points", self.entry, customer, -11, "Redemption")
		self.entry(customer, -10, "Redemption")
		self.assertEqual(points.balance(customer), 0)

	def test_reference_key_is_unique(self):
		customer = make_customer()
		self.entry(customer, 5, reference_key="test:dup")
		self.assertRaises(frappe.UniqueValidationError, self.entry, customer, 5, reference_key="test:dup")
