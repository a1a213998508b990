# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.customers.doctype.hs_customer.hs_customer import customer_of
from home_service.tests.factories import make_customer, make_user


class TestHSCustomer(FrappeTestCase):
	def test_linked_user_gets_the_customer_role(self):
		customer = make_customer(with_user=True)
		user = frappe.db.get_value("HS Customer", customer, "user")
		self.assertIn("HS Customer", frappe.get_roles(user))
		self.assertEqual(customer_of(user), customer)

	def test_mobile_number_must_be_digits_and_unique(self):
		self.assertRaises(frappe.ValidationError, make_customer, mobile_no="13x00138000")
		customer = make_customer()
		mobile = frappe.db.get_value("HS Customer", customer, "mobile_no")
		self.assertRaises(frappe.UniqueValidationError, make_customer, mobile_no=mobile)

	def test_a_user_links_to_one_customer_only(self):
		user = make_user(user_type="Website User")
		make_customer(user=user)
		self.assertRaises(frappe.UniqueValidationError, make_customer, user=user)
