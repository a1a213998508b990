# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The overrides of compat/__init__.py: installed on this Frappe, and still needed by it.

The pinning tests run Frappe's own code (as it was before install() replaced it) and assert the
behaviour each override works around. One that fails means this Frappe changed that behaviour:
retire the override (its `retired_by` says which fix to look for) or rewrite it for the new code."""

from unittest.mock import patch

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.auth import HTTPRequest
from frappe.core.doctype.user import user as frappe_user
from frappe.model.db_query import DatabaseQuery
from frappe.model.document import Document

from home_service import compat
from home_service.booking.lifecycle import Status
from home_service.compat import db_query, document
from home_service.tests.customer_fixtures import CustomerTestCase


class TestInstall(CustomerTestCase):
	def test_every_override_written_for_this_frappe_is_installed(self):
		self.assertEqual(compat.frappe_major(), 15)
		installed = compat.install()
		self.assertEqual(installed, list(compat.OVERRIDES))
		for override in installed:
			with self.subTest(override.attribute):
				target = frappe.get_attr(override.target)
				self.assertIs(target.__dict__[override.attribute], frappe.get_attr(override.replacement))
				self.assertTrue(override.retired_by)

	def test_another_frappe_major_gets_none(self):
		with patch.object(frappe, "__version__", "16.0.0"):
			self.assertEqual(compat.frappe_major(), 16)
			self.assertEqual(compat.install(), [])

	def test_a_target_renamed_upstream_fails_loudly(self):
		gone = compat.Override(
			"frappe.model.db_query.DatabaseQuery",
			"apply_fieldlevel_read_permissions_renamed",
			"home_service.compat.db_query.apply_fieldlevel_read_permissions",
			(15,),
			"test",
		)
		with patch.object(compat, "OVERRIDES", (gone,)):
			self.assertRaises(AttributeError, compat.install)
		self.assertFalse(hasattr(DatabaseQuery, gone.attribute))


class TestFrappeStillNeedsTheOverrides(CustomerTestCase):
	def test_frappe_checks_only_every_other_unreadable_field_of_a_list(self):
		"""Retired by frappe/frappe#32192: then the repeat in compat/db_query.py is a no-op."""
		query = DatabaseQuery("HS Booking", user=self.user)
		query.fields = ["name", "internal_note", "held_technician", "dispatch_round", "status"]
		query.parent_doctype, query.as_list, query.filters, query.or_filters = None, False, [], []
		with self.set_user(self.user):
			db_query.FRAPPE(query)
			self.assertEqual(query.fields, ["name", "held_technician", "status"])  # Frappe's, one pass
			query.fields = ["name", "internal_note", "held_technician", "dispatch_round", "status"]
			db_query.apply_fieldlevel_read_permissions(query)
		self.assertEqual(query.fields, ["name", "status"])

	def test_frappe_builds_a_row_template_for_every_table_on_every_save(self):
		doc = self.booking_in(Status.ASSIGNED)
		tables = {df.options for df in doc.meta.get_table_fields()}
		self.assertGreaterEqual(len(tables), 4)
		frappe.local.new_doc_templates = {}
		Document._set_defaults(doc)  # Frappe's, on a booking with no new row
		self.assertLessEqual(tables, set(frappe.local.new_doc_templates))
		frappe.local.new_doc_templates = {}
		document.set_defaults_of_new_rows(doc)
		self.assertFalse(tables & set(frappe.local.new_doc_templates))

	def test_frappe_builds_a_version_on_an_insert_to_keep_none(self):
		doc = self.book()
		doc._doc_before_save = None  # as during its insert
		with patch.object(frappe, "new_doc", wraps=frappe.new_doc) as new_doc:
			Document.save_version(doc)  # Frappe's
			self.assertEqual([c.args for c in new_doc.call_args_list], [("Version",)])
			new_doc.reset_mock()
			document.save_version_unless_plain_insert(doc)
			self.assertEqual(new_doc.call_args_list, [])
		self.assertFalse(frappe.db.exists("Version", {"ref_doctype": "HS Booking", "docname": doc.name}))


class TestFrappeStillNeedsTheWorkarounds(CustomerTestCase):
	"""Frappe behaviour the app works around without replacing a method: a controller of its own
	(hooks.py override_doctype_class) or a hook. Pinned the same way."""

	def test_frappe_user_rewrites_the_inbox_default_on_every_save(self):
		"""access/user.py HSUser swaps the `ask_pass_update` that Frappe's User.validate calls by name;
		once Frappe writes `email_user_password` only on change, HSUser.validate can go."""
		self.assertIn("ask_pass_update", frappe_user.User.validate.__code__.co_names)
		with patch("frappe.utils.set_default") as set_default:
			frappe_user.ask_pass_update()
			frappe_user.ask_pass_update()  # nothing changed in between
		self.assertEqual(set_default.call_count, 2)

	def test_frappe_takes_the_first_forwarded_for_entry_of_anyone(self):
		"""access/client_ip.py (before_request) replaces the address the rate limits count under."""
		previous = (getattr(frappe.local, "request", None), getattr(frappe.local, "request_ip", None))
		self.addCleanup(setattr, frappe.local, "request", previous[0])
		self.addCleanup(setattr, frappe.local, "request_ip", previous[1])
		environ = EnvironBuilder(
			headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"}, environ_base={"REMOTE_ADDR": "198.51.100.7"}
		).get_environ()
		frappe.local.request = Request(environ)
		HTTPRequest.set_request_ip(None)  # Frappe's, as it runs before any app hook
		self.assertEqual(frappe.local.request_ip, "203.0.113.9")  # what the client wrote itself
