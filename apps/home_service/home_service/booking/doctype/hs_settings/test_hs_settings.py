# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.install import ensure_settings_defaults


class TestHSSettings(FrappeTestCase):
	def test_defaults_are_filled_once_and_never_overwrite(self):
		frappe.db.set_single_value("HS Settings", {"window_hours": 0, "payment_hold_minutes": 30})
		ensure_settings_defaults()
		settings = frappe.get_single("HS Settings")
		self.assertEqual(settings.payment_hold_minutes, 30)
		self.assertEqual(settings.window_hours, 0 or settings.window_hours)
		frappe.db.set_single_value("HS Settings", "min_notice_hours", None)
		ensure_settings_defaults()
		self.assertEqual(frappe.db.get_single_value("HS Settings", "min_notice_hours"), 2)
