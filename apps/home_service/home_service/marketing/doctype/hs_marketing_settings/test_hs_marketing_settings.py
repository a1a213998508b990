# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.marketing.settings import DEFAULTS, get_settings


class TestHSMarketingSettings(FrappeTestCase):
	def test_limits(self):
		doc = frappe.get_single("HS Marketing Settings")
		doc.max_redeem_percent = 120
		self.assertRaises(frappe.ValidationError, doc.save)
		doc.max_redeem_percent = 50
		doc.review_points = -1
		self.assertRaises(frappe.ValidationError, doc.save)

	def test_saved_values_and_defaults(self):
		frappe.db.delete("Singles", {"doctype": "HS Marketing Settings"})
		self.assertEqual(dict(get_settings()), DEFAULTS)
		doc = frappe.get_single("HS Marketing Settings")
		doc.update({"points_per_yuan": 3, "yuan_per_100_points": 2.5, "review_points": 0})
		doc.save()
		settings = get_settings()
		self.assertEqual(
			(settings.points_per_yuan, settings.yuan_per_100_points, settings.review_points),
			(3, Decimal("2.5"), 0),
		)
