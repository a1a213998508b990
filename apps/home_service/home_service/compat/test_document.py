# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.compat.document import new_doc_defaults

# a parent with a Link default (currency), a child table, and a Frappe single
DOCTYPES = ("HS Booking", "HS Booking Item", "HS Booking Extra Charge", "Energy Point Settings")


class TestNewDocDefaults(FrappeTestCase):
	def setUp(self):
		frappe.set_user("customer@demo.home" if frappe.db.exists("User", "customer@demo.home") else "Guest")
		self.addCleanup(frappe.set_user, "Administrator")

	def fresh(self):
		frappe.local.new_doc_templates = {}

	def test_the_same_defaults_as_frappe_new_doc(self):
		parent = frappe.new_doc("HS Booking")
		for doctype in DOCTYPES:
			with self.subTest(doctype=doctype):
				child = frappe.get_meta(doctype).istable
				kw = {"parent_doc": parent, "parentfield": "items"} if child else {}
				self.fresh()
				theirs = frappe.new_doc(doctype, as_dict=True, **kw)
				self.fresh()
				ours = new_doc_defaults(doctype, **kw)
				self.assertEqual(ours, theirs)

	def test_a_template_is_built_without_a_database_query(self):
		parent = frappe.new_doc("HS Booking")
		new_doc_defaults("HS Booking Item", parent_doc=parent, parentfield="items")  # warm Frappe's caches
		self.fresh()
		with patch.object(frappe.db, "sql", side_effect=AssertionError("no query expected")):
			defaults = new_doc_defaults("HS Booking Item", parent_doc=parent, parentfield="items")
		self.assertEqual((defaults["parenttype"], defaults["parentfield"]), ("HS Booking", "items"))
		self.assertIn("HS Booking Item", frappe.local.new_doc_templates)  # shared with frappe.new_doc
