# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase, patch_hooks

from home_service.tests.factories import uid
from home_service.utils.extensions import UnknownExtensionError


def new_rule(strategy: str):
	return frappe.get_doc(
		{"doctype": "HS Dispatch Rule", "rule_name": uid("Rule "), "priority": 100, "strategy": strategy}
	)


class TestHSDispatchRule(FrappeTestCase):
	def test_the_strategy_is_any_name_the_hook_registers(self):
		self.assertRaisesRegex(UnknownExtensionError, "Auto Assign, Broadcast", new_rule("Lottery").insert)
		strategies = {
			**frappe.get_hooks("hs_dispatch_strategies"),
			"Lottery": ["home_service.dispatch.strategies.Broadcast"],
		}
		with patch_hooks({"hs_dispatch_strategies": strategies}):  # as an add-on app's hooks.py would
			name = new_rule("Lottery").insert().name
		self.assertEqual(frappe.db.get_value("HS Dispatch Rule", name, "strategy"), "Lottery")
