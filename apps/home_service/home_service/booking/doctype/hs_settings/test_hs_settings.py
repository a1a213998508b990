# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.install import ensure_settings_defaults
from home_service.scheduling.settings import get_settings


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

	def test_scheduling_settings_follow_a_change_at_once(self):
		get_settings()
		frappe.db.set_single_value("HS Settings", {"day_end_time": "19:30:00", "window_hours": 3})
		frappe.clear_document_cache("HS Settings", "HS Settings")
		after = get_settings()
		self.assertEqual((after.day_end, after.window), (timedelta(hours=19, minutes=30), timedelta(hours=3)))
		self.assertIs(get_settings(), after)  # the same stored values are turned into settings once
