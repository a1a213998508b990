# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase, patch_hooks

from home_service.catalog import pricing_models
from home_service.utils import extensions

HERE = "home_service.utils.test_extensions"
CALLS: list = []


def record(*args):
	CALLS.append(("record", args))


def record_again(*args):
	CALLS.append(("again", args))


def answer_none(*args):
	CALLS.append(("none", args))


def answer_yes(*args):
	CALLS.append(("yes", args))
	return "yes"


class TestExtensions(FrappeTestCase):
	def setUp(self):
		CALLS.clear()

	def test_a_registry_lists_and_resolves_its_names(self):
		self.assertEqual(
			extensions.names("hs_pricing_models")[:3], ["Fixed", "Per Unit", "Quote After Inspection"]
		)
		self.assertIs(extensions.resolve("hs_pricing_models", "Fixed"), pricing_models.fixed)
		with self.assertRaisesRegex(extensions.UnknownExtensionError, "Barter"):
			extensions.resolve("hs_pricing_models", "Barter")
		self.assertRaises(
			frappe.PermissionError,
			extensions.resolve,
			"hs_pricing_models",
			"Barter",
			exc=frappe.PermissionError,
			message="no barter",
		)

	def test_the_app_installed_last_wins_a_name(self):
		with patch_hooks({"hs_test_registry": {"Fixed": [f"{HERE}.record", f"{HERE}.record_again"]}}):
			self.assertIs(extensions.resolve("hs_test_registry", "Fixed"), record_again)
			self.assertEqual(extensions.path_of("hs_test_registry", "Fixed"), f"{HERE}.record_again")

	def test_emit_calls_every_handler_in_order_and_first_stops_at_an_answer(self):
		hooks = {
			"hs_test_event": [
				f"{HERE}.record",
				f"{HERE}.answer_none",
				f"{HERE}.answer_yes",
				f"{HERE}.record_again",
			]
		}
		with patch_hooks(hooks):
			self.assertIsNone(extensions.emit("hs_test_event", 1, "a"))
			self.assertEqual([name for name, _args in CALLS], ["record", "none", "yes", "again"])
			self.assertTrue(all(args == (1, "a") for _name, args in CALLS))
			CALLS.clear()
			self.assertEqual(extensions.first("hs_test_event", 2), "yes")
			self.assertEqual([name for name, _args in CALLS], ["record", "none", "yes"])
		self.assertIsNone(extensions.first("hs_no_such_event", 1))
		extensions.emit("hs_no_such_event", 1)  # an event nobody handles is no error

	def test_a_data_field_must_name_an_installed_entry(self):
		item = frappe.new_doc("HS Service Item")
		item.pricing_model = "Barter"
		with self.assertRaisesRegex(extensions.UnknownExtensionError, "Fixed, Per Unit"):
			extensions.validate_choice(item, "pricing_model", "hs_pricing_models")
		item.pricing_model = "Per Unit"
		extensions.validate_choice(item, "pricing_model", "hs_pricing_models")
		item.pricing_model = None
		extensions.validate_choice(item, "pricing_model", "hs_pricing_models")  # reqd decides
