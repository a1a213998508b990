# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.marketing import coupons
from home_service.tests.factories import make_customer
from home_service.tests.marketing_fixtures import make_template


class TestHSCustomerCoupon(FrappeTestCase):
	def test_issued_only_from_a_template(self):
		doc = frappe.get_doc(
			{"doctype": "HS Customer Coupon", "customer": make_customer(), "template": make_template()}
		)
		self.assertRaisesRegex(frappe.ValidationError, "coupon template", doc.insert)

	def test_by_hand_only_withdrawing(self):
		doc = frappe.get_doc("HS Customer Coupon", coupons.issue_coupon(make_template(), make_customer()))
		doc.status = "Used"
		self.assertRaises(frappe.ValidationError, doc.save)
		doc.reload()
		doc.customer = make_customer()
		self.assertRaises(frappe.ValidationError, doc.save)
		doc.reload()
		doc.status = "Expired"
		doc.save()
		self.assertTrue(doc.expired_on)
		doc.status = "Available"
		self.assertRaises(frappe.ValidationError, doc.save)

	def test_issue_key_is_unique(self):
		customer, template = make_customer(), make_template(per_customer_limit=3)
		name = coupons.issue_coupon(template, customer)
		key = frappe.db.get_value("HS Customer Coupon", name, "issue_key")
		self.assertEqual(key, f"{template}:{customer}:1")
		copy = frappe.copy_doc(frappe.get_doc("HS Customer Coupon", name))
		copy.issue_key = key
		copy.flags.hs_issuing = True
		self.assertRaises(frappe.UniqueValidationError, copy.insert)
