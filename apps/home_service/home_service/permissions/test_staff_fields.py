# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Staff-only fields sit at permlevel 1, which only staff roles may read: a customer or technician
reading their own record through /api/resource, a report or a list gets every other field but not
these (internal notes, dispatch internals, escalation, staff users, the technician's GPS trail),
while staff keep reading and editing them in Desk."""

import frappe

from home_service.booking.lifecycle import Status
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.tests.factories import make_user

STAFF_ONLY = {
	"HS Booking": {
		"internal_note",
		"held_technician",
		"dispatch_rule",
		"dispatch_round",
		"needs_manual_dispatch",
		"exception_reason",
		"dispatch_html",
	},
	"HS Booking Event": {"actor", "latitude", "longitude"},
	"HS Customer": {"notes", "wechat_openid", "wechat_unionid", "alipay_user_id"},
	"HS Complaint": {"escalated", "escalated_on", "escalated_to", "breached"},
	# the technician appealed the review, so the appeal is theirs to read; the reviewing customer's not
	"HS Review": {
		"appeal_status",
		"appeal_reason",
		"appealed_on",
		"appeal_resolution",
		"appeal_resolved_by",
		"appeal_resolved_on",
	},
}
READS_LEVEL_1 = {"HS Review": {"HS Technician"}}
MINI_PROGRAM_ROLES = {"HS Customer", "HS Technician"}


def level_1_fields(doctype: str) -> set[str]:
	return {df.fieldname for df in frappe.get_meta(doctype).fields if df.permlevel == 1}


def perms(doctype: str, permlevel: int) -> dict[str, frappe._dict]:
	return {p.role: p for p in frappe.get_meta(doctype).permissions if p.permlevel == permlevel}


class TestStaffOnlyFields(CustomerTestCase):
	def test_the_staff_only_fields_are_exactly_these(self):
		for doctype, fields in STAFF_ONLY.items():
			with self.subTest(doctype):
				self.assertEqual(level_1_fields(doctype), fields)

	def test_only_staff_read_level_1_and_who_edits_a_record_edits_its_staff_fields(self):
		for doctype in STAFF_ONLY:
			with self.subTest(doctype):
				level_0, level_1 = perms(doctype, 0), perms(doctype, 1)
				readers = {role for role, p in level_1.items() if p.read}
				staff = set(level_0) - MINI_PROGRAM_ROLES
				self.assertEqual(readers, staff | READS_LEVEL_1.get(doctype, set()))
				for role in staff:
					self.assertEqual(bool(level_1[role].write), bool(level_0[role].write), role)
				self.assertFalse(any(level_1[role].write for role in MINI_PROGRAM_ROLES & set(level_1)))

	def booking_with_staff_fields(self):
		doc = self.booking_in(Status.ASSIGNED)
		staff_fields = {"internal_note": "客户家有狗，提前电话", "dispatch_round": 2, "exception_reason": "x"}
		doc.db_set({**staff_fields, "held_technician": self.tech})  # as while an offer is out
		return frappe.get_doc("HS Booking", doc.name)

	def read_as(self, user: str, doctype: str, name: str) -> dict:
		"""What /api/resource/<doctype>/<name> answers `user` (frappe.api.v1.read_doc)."""
		with self.set_user(user):
			doc = frappe.get_doc(doctype, name)
			self.assertTrue(doc.has_permission("read"))
			doc.apply_fieldlevel_read_permissions()
			return doc.as_dict(no_nulls=True)

	def test_the_customer_reads_their_booking_without_staff_fields_and_staff_with_them(self):
		doc = self.booking_with_staff_fields()
		mine = self.read_as(self.user, "HS Booking", doc.name)
		self.assertEqual(mine["customer"], self.customer)
		self.assertFalse({"internal_note", "held_technician", "exception_reason"} & set(mine))
		self.assertEqual((mine.get("dispatch_round"), mine.get("needs_manual_dispatch")), (0, 0))
		theirs = self.read_as(self.tech_user, "HS Booking", doc.name)
		self.assertFalse({"internal_note", "held_technician", "exception_reason"} & set(theirs))
		for role in ("HS Dispatcher", "HS Finance", "HS Customer Service"):
			staff = self.read_as(make_user([role]), "HS Booking", doc.name)
			self.assertEqual(
				(staff["internal_note"], staff["dispatch_round"], staff["held_technician"]),
				("客户家有狗，提前电话", 2, self.tech),
				role,
			)

	def test_lists_return_no_staff_field_even_when_several_are_asked_in_a_row(self):
		"""Frappe v15 checked only every other one of consecutive unreadable fields (compat/db_query.py)."""
		doc = self.booking_with_staff_fields()
		asked = ["name", "internal_note", "held_technician", "dispatch_round", "exception_reason", "status"]
		with self.set_user(self.user):
			rows = frappe.get_list("HS Booking", filters={"name": doc.name}, fields=asked)
			as_lists = frappe.get_list("HS Booking", filters={"name": doc.name}, fields=asked, as_list=True)
			everything = frappe.get_list("HS Booking", filters={"name": doc.name}, fields=["*"])
		self.assertEqual(rows, [{"name": doc.name, "status": Status.ASSIGNED}])
		self.assertEqual(
			[list(row) for row in as_lists], [[doc.name, None, None, None, None, Status.ASSIGNED]]
		)
		self.assertFalse(STAFF_ONLY["HS Booking"] & set(everything[0]))
		with self.set_user(make_user(["HS Dispatcher"])):
			rows = frappe.get_list("HS Booking", filters={"name": doc.name}, fields=asked)
		self.assertEqual((rows[0]["held_technician"], rows[0]["dispatch_round"]), (self.tech, 2))

	def test_lists_cannot_filter_on_staff_fields(self):
		doc = self.booking_with_staff_fields()
		with self.set_user(self.user):
			for filters in (
				{"internal_note": ["like", "%狗%"]},
				[["HS Booking", "held_technician", "=", self.tech]],
			):
				with self.subTest(filters):
					self.assertRaises(frappe.PermissionError, frappe.get_list, "HS Booking", filters=filters)
			self.assertRaises(
				frappe.PermissionError,
				frappe.get_list,
				"HS Booking",
				or_filters={"name": doc.name, "exception_reason": "x"},
			)
			self.assertEqual(len(frappe.get_list("HS Booking", filters={"name": doc.name})), 1)
		with self.set_user(make_user(["HS Customer Service"])):
			found = frappe.get_list(
				"HS Booking", filters={"internal_note": ["like", "%狗%"], "name": doc.name}
			)
		self.assertEqual(len(found), 1)

	def test_a_dispatcher_edits_the_internal_note_in_desk(self):
		doc = self.booking_with_staff_fields()
		with self.set_user(make_user(["HS Dispatcher"])):
			desk = frappe.get_doc("HS Booking", doc.name)
			desk.internal_note = "改约到下午"
			desk.save()
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "internal_note"), "改约到下午")

	def test_the_customer_reads_their_profile_without_staff_notes(self):
		frappe.db.set_value("HS Customer", self.customer, {"notes": "投诉较多", "wechat_openid": "o-1"})
		mine = self.read_as(self.user, "HS Customer", self.customer)
		self.assertEqual(mine["name"], self.customer)
		self.assertFalse({"notes", "wechat_openid"} & set(mine))
		staff = self.read_as(make_user(["HS Customer Service"]), "HS Customer", self.customer)
		self.assertEqual((staff["notes"], staff["wechat_openid"]), ("投诉较多", "o-1"))
