# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase, patch_hooks

from home_service.tests.factories import make_item
from home_service.utils.extensions import UnknownExtensionError


class TestHSServiceItem(FrappeTestCase):
	def test_specs_need_unique_names_and_one_default(self):
		self.assertRaises(
			frappe.ValidationError,
			make_item,
			specs=[{"spec_name": "2P", "price": 1}, {"spec_name": "2P", "price": 2}],
		)
		self.assertRaises(
			frappe.ValidationError,
			make_item,
			specs=[
				{"spec_name": "A", "price": 1, "is_default": 1},
				{"spec_name": "B", "price": 2, "is_default": 1},
			],
		)

	def test_each_pricing_model_needs_its_price(self):
		self.assertRaises(frappe.ValidationError, make_item, base_price=0)
		self.assertRaises(
			frappe.ValidationError, make_item, pricing_model="Quote After Inspection", visit_fee=0
		)
		self.assertRaises(frappe.ValidationError, make_item, pricing_model="Recycling", base_price=0)
		self.assertRaises(frappe.ValidationError, make_item, base_price=-5)
		self.assertRaises(frappe.ValidationError, make_item, duration_minutes=0)
		self.assertTrue(make_item(pricing_model="Quote After Inspection", visit_fee=30))

	def test_the_pricing_model_is_any_name_the_hook_registers(self):
		self.assertRaises(UnknownExtensionError, make_item, pricing_model="Barter", base_price=10)
		models = {
			**frappe.get_hooks("hs_pricing_models"),
			"Barter": ["home_service.catalog.pricing_models.fixed"],
		}
		with patch_hooks({"hs_pricing_models": models}):  # as an add-on app's hooks.py would
			item = make_item(pricing_model="Barter", base_price=10)
		self.assertEqual(frappe.db.get_value("HS Service Item", item, "pricing_model"), "Barter")
