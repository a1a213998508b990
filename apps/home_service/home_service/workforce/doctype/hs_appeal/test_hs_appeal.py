# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_technician, make_user


def appeal(**kw):
	return frappe.get_doc(
		{
			"doctype": "HS Appeal",
			"technician": make_technician(),
			"subject": "差评申诉",
			"reason": "客户不在家",
			**kw,
		}
	)


class TestHSAppeal(FrappeTestCase):
	def test_starts_pending_with_the_technician_name(self):
		doc = appeal().insert()
		self.assertEqual(doc.status, "Pending")
		self.assertEqual(
			doc.technician_name, frappe.db.get_value("HS Technician", doc.technician, "technician_name")
		)
		self.assertFalse(doc.resolved_by)

	def test_reference_needs_both_parts(self):
		self.assertRaises(frappe.ValidationError, appeal(reference_doctype="HS Booking").insert)

	def test_resolution_is_recorded_and_rejection_needs_an_explanation(self):
		doc = appeal().insert()
		reviewer = make_user(["HS Operations Manager"])
		with self.set_user(reviewer):
			doc.status = "Rejected"
			self.assertRaises(frappe.ValidationError, doc.save)
			doc.reload()
			doc.status = "Rejected"
			doc.resolution = "核实后维持原判"
			doc.save()
		self.assertEqual(doc.resolved_by, reviewer)
		self.assertTrue(doc.resolved_on)

	def test_technician_sees_only_own_appeals(self):
		mine = appeal(technician=make_technician(with_user=True)).insert()
		other = appeal().insert()
		user = frappe.db.get_value("HS Technician", mine.technician, "user")
		with self.set_user(user):
			visible = set(
				frappe.get_list("HS Appeal", filters={"name": ("in", [mine.name, other.name])}, pluck="name")
			)
			self.assertEqual(visible, {mine.name})
			self.assertFalse(frappe.has_permission("HS Appeal", "read", other))
			self.assertFalse(frappe.has_permission("HS Appeal", "write", mine))
