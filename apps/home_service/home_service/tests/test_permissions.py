# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Row-level permissions for every role, through the same calls Desk and /api/resource use."""

import json
import os

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.tests.factories import (
	advance,
	make_address,
	make_booking,
	make_customer,
	make_item,
	make_technician,
	make_user,
)

STAFF = ("HS Operations Manager", "HS Dispatcher", "HS Customer Service", "HS Finance")
ROW_SCOPED = (
	"HS Booking",
	"HS Booking Event",
	"HS Customer",
	"HS Customer Address",
	"HS Technician",
	"HS Qualification",
)


class TestRowLevelPermissions(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		item = make_item()
		cls.customer_a, cls.customer_b = make_customer(with_user=True), make_customer(with_user=True)
		cls.user_a = frappe.db.get_value("HS Customer", cls.customer_a, "user")
		cls.user_b = frappe.db.get_value("HS Customer", cls.customer_b, "user")
		cls.address_a, cls.address_b = make_address(cls.customer_a), make_address(cls.customer_b)
		cls.tech_1, cls.tech_2 = make_technician(with_user=True), make_technician(with_user=True)
		cls.tech_user_1 = frappe.db.get_value("HS Technician", cls.tech_1, "user")
		cls.booking_a = advance(
			make_booking(cls.customer_a, item, address=cls.address_a), Status.ASSIGNED, cls.tech_1
		).name
		cls.booking_b = advance(
			make_booking(cls.customer_b, item, address=cls.address_b), Status.ASSIGNED, cls.tech_2
		).name
		cls.unassigned_a = make_booking(cls.customer_a, item, address=cls.address_a).name
		cls.qualification_1 = cls.qualification(cls.tech_1)
		cls.qualification_2 = cls.qualification(cls.tech_2)
		cls.staff = {role: make_user([role]) for role in STAFF}

	@staticmethod
	def qualification(technician: str) -> str:
		return (
			frappe.get_doc(
				{
					"doctype": "HS Qualification",
					"technician": technician,
					"qualification_type": "Trade Certificate",
					"certificate_no": frappe.generate_hash(length=10),
				}
			)
			.insert()
			.name
		)

	def visible(self, user: str, doctype: str, names: list[str]) -> set[str]:
		with self.set_user(user):
			return set(frappe.get_list(doctype, filters={"name": ("in", names)}, pluck="name"))

	def can(self, user: str, doctype: str, name: str, ptype: str = "read") -> bool:
		with self.set_user(user):
			return frappe.has_permission(doctype, ptype, frappe.get_doc(doctype, name))

	def test_customer_sees_only_their_bookings(self):
		both = [self.booking_a, self.booking_b, self.unassigned_a]
		self.assertEqual(self.visible(self.user_a, "HS Booking", both), {self.booking_a, self.unassigned_a})
		self.assertTrue(self.can(self.user_a, "HS Booking", self.booking_a))
		self.assertFalse(self.can(self.user_a, "HS Booking", self.booking_b))

	def test_customer_sees_only_their_addresses_profile_and_timeline(self):
		self.assertEqual(
			self.visible(self.user_a, "HS Customer Address", [self.address_a, self.address_b]),
			{self.address_a},
		)
		self.assertFalse(self.can(self.user_a, "HS Customer Address", self.address_b))
		self.assertEqual(
			self.visible(self.user_a, "HS Customer", [self.customer_a, self.customer_b]), {self.customer_a}
		)
		with self.set_user(self.user_a):
			bookings = set(
				frappe.get_list(
					"HS Booking Event",
					filters={"booking": ("in", [self.booking_a, self.booking_b])},
					pluck="booking",
				)
			)
		self.assertEqual(bookings, {self.booking_a})

	def test_technician_sees_only_assigned_bookings_own_profile_and_certificates(self):
		both = [self.booking_a, self.booking_b, self.unassigned_a]
		self.assertEqual(self.visible(self.tech_user_1, "HS Booking", both), {self.booking_a})
		self.assertFalse(self.can(self.tech_user_1, "HS Booking", self.unassigned_a))
		self.assertEqual(
			self.visible(self.tech_user_1, "HS Technician", [self.tech_1, self.tech_2]), {self.tech_1}
		)
		self.assertEqual(
			self.visible(self.tech_user_1, "HS Qualification", [self.qualification_1, self.qualification_2]),
			{self.qualification_1},
		)
		self.assertFalse(self.can(self.tech_user_1, "HS Customer Address", self.address_a))

	def test_staff_roles_see_every_row(self):
		both = [self.booking_a, self.booking_b, self.unassigned_a]
		for role, user in self.staff.items():
			with self.subTest(role):
				self.assertEqual(self.visible(user, "HS Booking", both), set(both))
				self.assertEqual(
					self.visible(user, "HS Customer", [self.customer_a, self.customer_b]),
					{self.customer_a, self.customer_b},
				)

	def test_write_rights_per_staff_role(self):
		expected = {
			"HS Operations Manager": True,
			"HS Dispatcher": True,
			"HS Customer Service": True,
			"HS Finance": False,
		}
		for role, allowed in expected.items():
			with self.subTest(role):
				self.assertEqual(self.can(self.staff[role], "HS Booking", self.booking_a, "write"), allowed)

	def test_customer_and_technician_cannot_create_or_write_bookings(self):
		for user in (self.user_a, self.tech_user_1):
			with self.set_user(user):
				self.assertFalse(frappe.has_permission("HS Booking", "create"))
				self.assertFalse(
					frappe.has_permission("HS Booking", "write", frappe.get_doc("HS Booking", self.booking_a))
				)
				doc = frappe.get_doc("HS Booking", self.booking_a)
				doc.internal_note = "tampered"
				self.assertRaises(frappe.PermissionError, doc.save)

	def test_role_json_grants_mini_program_roles_read_only(self):
		"""Mini-program roles write through home_service.api only; pin it in the shipped JSON."""
		app = frappe.get_app_path("home_service")
		for folder, _dirs, files in os.walk(app):
			for name in files:
				if not name.endswith(".json") or os.path.basename(folder) + ".json" != name:
					continue
				with open(os.path.join(folder, name)) as fh:
					meta = json.load(fh)
				if meta.get("doctype") != "DocType":
					continue
				for perm in meta.get("permissions", []):
					if perm["role"] in ("HS Customer", "HS Technician"):
						with self.subTest(f"{meta['name']} / {perm['role']}"):
							self.assertFalse(
								any(perm.get(p) for p in ("create", "write", "delete", "submit", "import"))
							)

	def test_user_without_our_roles_is_refused(self):
		outsider = make_user(["Blogger"])
		for doctype in ROW_SCOPED:
			with self.subTest(doctype), self.set_user(outsider):
				self.assertRaises(frappe.PermissionError, frappe.get_list, doctype, limit=1)
