# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

"""A first login writes no row that every other first login writes too (access/user.py): the
tabDefaultValue rows and the __Auth password row whose gap locks deadlocked concurrent logins."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.password import check_password

from home_service.access.accounts import CUSTOMER_ROLE, TECHNICIAN_ROLE, new_website_user
from home_service.access.user import HSUser


def email_user_password_row() -> tuple | None:
	"""(name, value) of the site-wide default Frappe's ask_pass_update deletes and re-inserts."""
	rows = frappe.db.sql(
		"select name, defvalue from `tabDefaultValue` where parent='__default' and defkey='email_user_password'"
	)
	return rows[0] if rows else None


class TestHSUser(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("hs_user_test")
		self.addCleanup(frappe.db.rollback, save_point="hs_user_test")

	def test_the_site_uses_this_controller(self):
		self.assertIsInstance(frappe.get_doc("User", "Administrator"), HSUser)

	def test_a_mini_program_user_writes_no_default_and_no_password(self):
		frappe.db.set_default("email_user_password", "")
		before = email_user_password_row()
		user = new_website_user("微信用户", "cu", CUSTOMER_ROLE)
		frappe.get_doc("User", user).add_roles(TECHNICIAN_ROLE)  # a later save (a technician applies)
		self.assertEqual(email_user_password_row(), before)  # the same row: not deleted and re-inserted
		self.assertFalse(frappe.db.exists("DefaultValue", {"parent": user}))
		doc = frappe.get_doc("User", user)
		self.assertFalse(doc.time_zone)  # the system's
		self.assertEqual(
			{CUSTOMER_ROLE, TECHNICIAN_ROLE}, set(frappe.get_roles(user)) & {CUSTOMER_ROLE, TECHNICIAN_ROLE}
		)
		self.assertFalse(frappe.db.sql("select 1 from `__Auth` where doctype='User' and name=%s", user))
		for password in ("", "admin", "demo1234"):
			with self.assertRaises(frappe.AuthenticationError):
				check_password(user, password)

	def test_a_changed_value_is_still_written(self):
		frappe.db.set_default("email_user_password", "someone@example.com")
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": f"{frappe.generate_hash(length=10)}@example.com",
				"first_name": "Desk",
			}
		)
		user.insert(ignore_permissions=True)
		self.assertEqual(email_user_password_row()[1], awaiting_password())
		self.assertTrue(user.time_zone)  # a Desk user still gets the system's time zone set


def awaiting_password() -> str:
	return ",".join(
		frappe.get_all(
			"User Email", filters={"awaiting_password": 1, "used_oauth": 0}, pluck="parent", distinct=True
		)
	)
