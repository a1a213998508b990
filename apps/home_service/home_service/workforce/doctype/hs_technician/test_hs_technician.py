# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_area, make_skill, make_technician


class TestHSTechnician(FrappeTestCase):
	def test_skills_areas_and_user_role(self):
		skill, area = make_skill(), make_area()
		doc = frappe.get_doc("HS Technician", make_technician(skills=[skill], areas=[area], with_user=True))
		self.assertEqual(doc.skill_names, {skill})
		self.assertEqual([row.service_area for row in doc.service_areas], [area])
		self.assertIn("HS Technician", frappe.get_roles(doc.user))
		self.assertEqual(doc.status, "Offline")

	def test_duplicate_skill_or_area_is_rejected(self):
		skill, area = make_skill(), make_area()
		self.assertRaises(frappe.ValidationError, make_technician, skills=[skill, skill])
		self.assertRaises(frappe.ValidationError, make_technician, areas=[area, area])

	def test_working_hours_must_end_after_they_start(self):
		doc = frappe.get_doc("HS Technician", make_technician())
		doc.append("working_hours", {"weekday": "Monday", "start_time": "18:00:00", "end_time": "08:00:00"})
		self.assertRaises(frappe.ValidationError, doc.save)
