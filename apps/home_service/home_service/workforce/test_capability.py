# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, nowdate

from home_service.scheduling.eligibility import eligible_technicians
from home_service.tests.factories import make_area, make_skill, make_technician
from home_service.workforce import capability

HOURS = [{"weekday": "Monday", "start_time": "08:00:00", "end_time": "12:00:00"}]


def rows_of(technician: str) -> set[tuple]:
	return {
		(r.service_area, r.skill or "", r.certificates_valid_until, r.weekly_hours, r.home_latitude)
		for r in frappe.get_all(
			"HS Technician Capability",
			filters={"technician": technician},
			fields=["service_area", "skill", "certificates_valid_until", "weekly_hours", "home_latitude"],
		)
	}


def names(skill, area, on=None) -> list[str]:
	return [c.name for c in eligible_technicians(skill, area, on)]


class TestTechnicianCapability(FrappeTestCase):
	"""The read model follows every write path of what it copies, in the same transaction."""

	def setUp(self):
		frappe.db.savepoint("capability_case")
		self.area, self.other_area = make_area(), make_area()
		self.skill, self.other_skill = make_skill(), make_skill()
		self.tech = make_technician(
			skills=[self.skill], areas=[self.area], hours=HOURS, home_latitude=31.2, home_longitude=121.4
		)
		self.today = getdate(nowdate())

	def tearDown(self):
		frappe.db.rollback(save_point="capability_case")

	def qualification(self, expiry, state="Approved", technician=None):
		return frappe.get_doc(
			{
				"doctype": "HS Qualification",
				"technician": technician or self.tech,
				"qualification_type": "Trade Certificate",
				"certificate_no": frappe.generate_hash(length=8),
				"expiry_date": expiry,
				"review_state": state,
				"rejection_reason": "unreadable" if state == "Rejected" else None,
			}
		).insert()

	def test_insert_writes_a_row_per_area_and_skill_plus_one_without_skill(self):
		self.assertEqual(
			rows_of(self.tech),
			{
				(self.area, self.skill, None, "0:28800-43200", 31.2),
				(self.area, "", None, "0:28800-43200", 31.2),
			},
		)
		self.assertEqual(names(self.skill, self.area), [self.tech])
		self.assertEqual(names(None, self.area), [self.tech])  # a job that needs no skill

	def test_save_follows_skills_areas_hours_and_home(self):
		doc = frappe.get_doc("HS Technician", self.tech)
		doc.set("skills", [{"skill": self.other_skill, "level": "Senior"}])
		doc.append("service_areas", {"service_area": self.other_area})
		doc.append("working_hours", {"weekday": "Sunday", "start_time": "09:00:00", "end_time": "10:00:00"})
		doc.home_latitude = 31.3
		doc.save()
		hours = "0:28800-43200 6:32400-36000"
		self.assertEqual(
			rows_of(self.tech),
			{
				(area, skill, None, hours, 31.3)
				for area in (self.area, self.other_area)
				for skill in ("", self.other_skill)
			},
		)
		self.assertEqual(names(self.skill, self.area), [])  # the skill was taken away
		self.assertEqual(names(self.other_skill, self.other_area), [self.tech])
		self.assertEqual(capability.decode_hours(hours), {0: ((28800, 43200),), 6: ((32400, 36000),)})

	def test_qualifications_set_the_earliest_approved_expiry(self):
		later, sooner = self.today + timedelta(days=60), self.today + timedelta(days=10)
		first = self.qualification(later)
		self.assertEqual({r[2] for r in rows_of(self.tech)}, {later})
		self.qualification(sooner, state="Submitted")  # not approved yet: does not count
		self.assertEqual({r[2] for r in rows_of(self.tech)}, {later})
		pending = self.qualification(sooner - timedelta(days=5), state="Submitted")
		pending = apply_workflow(apply_workflow(pending, "Start Review"), "Approve")  # Desk's buttons
		self.assertEqual({r[2] for r in rows_of(self.tech)}, {sooner - timedelta(days=5)})
		self.assertEqual(names(self.skill, self.area, on=sooner), [])  # expired by then
		self.assertEqual(names(self.skill, self.area, on=self.today), [self.tech])
		pending.delete()
		self.assertEqual({r[2] for r in rows_of(self.tech)}, {later})
		first.expiry_date = self.today - timedelta(days=1)
		first.save()
		self.assertEqual(names(self.skill, self.area, on=self.today), [])

	def test_moving_a_qualification_updates_both_technicians(self):
		other = make_technician(skills=[self.skill], areas=[self.area], hours=HOURS)
		row = self.qualification(self.today - timedelta(days=1))
		self.assertEqual(names(self.skill, self.area, on=self.today), [other])
		row.technician = other
		row.save()
		self.assertEqual(names(self.skill, self.area, on=self.today), [self.tech])

	def test_review_status_is_read_live_even_when_written_directly(self):
		frappe.db.set_value("HS Technician", self.tech, "review_status", "Suspended")
		self.assertEqual(names(self.skill, self.area), [])
		frappe.db.set_value("HS Technician", self.tech, "review_status", "Approved")
		self.assertEqual(names(self.skill, self.area), [self.tech])

	def test_delete_removes_the_rows(self):
		frappe.delete_doc("HS Technician", self.tech)
		self.assertEqual(rows_of(self.tech), set())

	def test_backfill_rebuilds_lost_rows(self):
		frappe.db.delete("HS Technician Capability", {"technician": self.tech})
		expiry = self.today + timedelta(days=5)
		self.qualification(expiry)  # its hook finds no rows to update
		self.assertEqual(rows_of(self.tech), set())
		capability.backfill()
		self.assertEqual(
			rows_of(self.tech),
			{
				(self.area, self.skill, expiry, "0:28800-43200", 31.2),
				(self.area, "", expiry, "0:28800-43200", 31.2),
			},
		)
