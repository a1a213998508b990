# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.notifications.inbox import notify
from home_service.tests.factories import make_user


class TestHSMessage(FrappeTestCase):
	def test_recipients_see_only_their_own_messages(self):
		alice, bob = make_user(["HS Customer"], "Website User"), make_user(["HS Technician"], "Website User")
		staff = make_user(["HS Operations Manager"])
		mine, theirs = notify(alice, "给 Alice"), notify(bob, "给 Bob")
		self.assertIsNone(notify(None, "nobody"))
		with self.set_user(alice):
			self.assertEqual(frappe.get_list("HS Message", pluck="name"), [mine])
			self.assertFalse(
				frappe.has_permission("HS Message", "read", frappe.get_doc("HS Message", theirs))
			)
			self.assertFalse(frappe.has_permission("HS Message", "write", frappe.get_doc("HS Message", mine)))
		with self.set_user(bob):
			self.assertEqual(frappe.get_list("HS Message", pluck="name"), [theirs])
		with self.set_user(staff):
			self.assertEqual(
				set(frappe.get_list("HS Message", filters={"name": ("in", [mine, theirs])}, pluck="name")),
				{mine, theirs},
			)
