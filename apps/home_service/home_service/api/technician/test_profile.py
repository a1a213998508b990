# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Profile, weekly hours, leave, online / offline and location, each only for the caller."""

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from home_service.api.technician import availability, jobs, profile
from home_service.api.technician.scope import ConflictError
from home_service.tests.factories import make_area, make_skill, make_user
from home_service.tests.technician_fixtures import assigned_booking, image_bytes, technician_with_user


def moment(days: float, hour: int = 9) -> str:
	day = add_to_date(now_datetime(), days=days).replace(hour=hour, minute=0, second=0, microsecond=0)
	return str(day)


class TestProfile(FrappeTestCase):
	def setUp(self):
		self.skill, self.area = make_skill(), make_area()
		self.technician, self.user = technician_with_user(skills=[self.skill], areas=[self.area])

	def test_profile_shows_only_my_record_and_updates_only_bio_and_avatar(self):
		with self.set_user(self.user):
			mine = profile.get_profile()
			self.assertEqual(mine["technician"], self.technician)
			self.assertEqual(mine["skills"][0]["skill"], self.skill)
			avatar = frappe.get_doc(
				{"doctype": "File", "file_name": "me.png", "content": image_bytes(), "is_private": 0}
			).insert(ignore_permissions=True)
			updated = profile.update_profile(bio="十年家电维修经验", avatar=avatar.file_url)
		self.assertEqual((updated["bio"], updated["avatar"]), ("十年家电维修经验", avatar.file_url))
		self.assertEqual(frappe.db.get_value("HS Technician", self.technician, "review_status"), "Approved")

		_other, other_user = technician_with_user()
		with self.set_user(other_user):
			self.assertNotEqual(profile.get_profile()["technician"], self.technician)
			self.assertRaises(frappe.PermissionError, profile.update_profile, avatar=avatar.file_url)
		with self.set_user(self.user):
			self.assertRaises(frappe.ValidationError, profile.update_profile, bio="<script>alert(1)</script>")
			self.assertRaises(frappe.ValidationError, profile.update_profile)

	def test_skill_and_area_changes_go_to_review(self):
		reviewer = make_user(["HS Operations Manager"])
		new_skill = make_skill()
		with self.set_user(self.user):
			result = profile.request_profile_change(
				skills=[self.skill, new_skill], service_areas=[self.area], note="新考了空调证"
			)
			self.assertEqual(result["status"], "Pending")
			self.assertRaises(
				ConflictError, profile.request_profile_change, skills=[new_skill], service_areas=[self.area]
			)
			self.assertTrue(profile.get_profile()["change_request_pending"])
		skills = [r.skill for r in frappe.get_doc("HS Technician", self.technician).skills]
		self.assertEqual(skills, [self.skill])  # unchanged until operations apply it
		self.assertTrue(
			frappe.db.exists(
				"ToDo", {"allocated_to": reviewer, "reference_name": self.technician, "status": "Open"}
			)
		)

	def test_working_hours_are_replaced_and_validated(self):
		rows = [
			{"weekday": "Monday", "start_time": "08:00", "end_time": "12:00"},
			{"weekday": "Monday", "start_time": "13:00", "end_time": "18:30"},
			{"weekday": "Saturday", "start_time": "09:00:00", "end_time": "17:00:00"},
		]
		with self.set_user(self.user):
			saved = availability.set_working_hours(working_hours=rows)["working_hours"]
			self.assertEqual(len(saved), 3)
			self.assertEqual(
				saved[1], {"weekday": "Monday", "start_time": "13:00:00", "end_time": "18:30:00"}
			)
			for bad in (
				[{"weekday": "Funday", "start_time": "08:00", "end_time": "09:00"}],
				[{"weekday": "Monday", "start_time": "18:00", "end_time": "08:00"}],
				[{"weekday": "Monday", "start_time": "8am", "end_time": "09:00"}],
				[rows[0], {"weekday": "Monday", "start_time": "11:00", "end_time": "14:00"}],
				[rows[0]] * 22,
			):
				with self.subTest(bad[0]):
					self.assertRaises(
						frappe.ValidationError, availability.set_working_hours, working_hours=bad
					)
			self.assertEqual(len(availability.get_working_hours()["working_hours"]), 3)

	def test_leave_add_list_cancel(self):
		with self.set_user(self.user):
			leave = availability.add_leave(from_datetime=moment(3), to_datetime=moment(4), reason="回老家")
			self.assertEqual(leave["status"], "Approved")
			self.assertRaises(
				ConflictError, availability.add_leave, from_datetime=moment(3, hour=15), to_datetime=moment(5)
			)
			for start, end in ((moment(-2), moment(-1)), (moment(5), moment(4)), (moment(5), moment(40))):
				with self.subTest(start):
					self.assertRaises(
						frappe.ValidationError, availability.add_leave, from_datetime=start, to_datetime=end
					)
			self.assertRaises(
				frappe.ValidationError,
				availability.add_leave,
				from_datetime="not a date",
				to_datetime=moment(5),
			)
			page = availability.list_leave()
			self.assertEqual([row["name"] for row in page["items"]], [leave["name"]])

		_other, other_user = technician_with_user()
		with self.set_user(other_user):
			self.assertEqual(availability.list_leave()["total"], 0)
			self.assertRaises(frappe.DoesNotExistError, availability.cancel_leave, leave=leave["name"])
		with self.set_user(self.user):
			self.assertTrue(availability.cancel_leave(leave=leave["name"])["cancelled"])
		self.assertFalse(frappe.db.exists("HS Technician Leave", leave["name"]))

	def test_leave_over_an_assigned_job_is_refused(self):
		doc = assigned_booking(self.technician)
		start = doc.window_start - timedelta(hours=1)
		with self.set_user(self.user):
			self.assertRaises(
				ConflictError,
				availability.add_leave,
				from_datetime=str(start),
				to_datetime=str(start + timedelta(hours=4)),
			)

	def test_online_offline_busy_and_location(self):
		with self.set_user(self.user):
			self.assertEqual(availability.go_online(latitude=31.2, longitude=121.4)["status"], "Online")
			self.assertRaises(
				frappe.RateLimitExceededError, availability.update_location, latitude=31.21, longitude=121.41
			)
			frappe.db.set_value(
				"HS Technician",
				self.technician,
				"location_updated_on",
				add_to_date(now_datetime(), seconds=-11),
				update_modified=False,
			)
			moved = availability.update_location(latitude=31.21, longitude=121.41)
			self.assertEqual((moved["latitude"], moved["longitude"]), (31.21, 121.41))
			for lat, lng in ((91, 0), (0, 0), (31.2, 181), (float("nan"), 121)):
				with self.subTest((lat, lng)):
					self.assertRaises(
						frappe.ValidationError, availability.update_location, latitude=lat, longitude=lng
					)
			self.assertEqual(availability.go_offline()["status"], "Offline")

		doc = assigned_booking(self.technician)
		with self.set_user(self.user):
			jobs.depart(booking=doc.name)
			self.assertRaises(ConflictError, availability.go_offline)
			self.assertEqual(availability.go_online()["status"], "Busy")

	def test_pending_technician_cannot_go_online(self):
		from home_service.api.technician.scope import NotApprovedError

		_name, user = technician_with_user(review_status="Pending")
		with self.set_user(user):
			self.assertRaises(NotApprovedError, availability.go_online)
			self.assertEqual(profile.get_profile()["review_status"], "Pending")
		with self.set_user(make_user(["HS Customer"], user_type="Website User")):
			self.assertRaises(frappe.PermissionError, profile.get_profile)
