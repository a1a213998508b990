# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.custom.doctype.property_setter.property_setter import make_property_setter
from frappe.tests.utils import FrappeTestCase

from home_service.patches.v0_1 import pluggable_choices_are_data_fields


class TestPluggableChoicesAreDataFields(FrappeTestCase):
	def test_the_copied_provider_options_go_and_the_stored_provider_stays(self):
		"""A site migrated from a Select sms_provider has the Property Setter the old after_migrate made."""
		self.addCleanup(frappe.clear_cache, doctype="HS Settings")
		before = frappe.db.get_single_value("HS Settings", "sms_provider")
		make_property_setter(
			"HS Settings",
			"sms_provider",
			"options",
			"Console\nAliyun\nTencent",
			"Text",
			validate_fields_for_doctype=False,
		)
		self.assertEqual(
			frappe.get_meta("HS Settings").get_field("sms_provider").options, "Console\nAliyun\nTencent"
		)
		pluggable_choices_are_data_fields.execute()
		self.assertFalse(
			frappe.db.exists("Property Setter", {"doc_type": "HS Settings", "field_name": "sms_provider"})
		)
		self.assertFalse(frappe.get_meta("HS Settings").get_field("sms_provider").options)
		self.assertEqual(frappe.db.get_single_value("HS Settings", "sms_provider"), before)
