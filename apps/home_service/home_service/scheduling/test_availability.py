# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from home_service.booking.jobs import release_expired_holds
from home_service.booking.lifecycle import Status
from home_service.scheduling.availability import SchedulingError, available_slots, job_for, job_for_booking
from home_service.scheduling.calendar import LONGEST_VISIT
from home_service.scheduling.holds import (
	NoCapacityError,
	TechnicianBusyError,
	assert_assignable,
	hold_technician,
)
from home_service.tests.factories import make_booking, make_user
from home_service.tests.scheduling_fixtures import (
	OFFICE_HOURS,
	Corner,
	apply_settings,
	at,
	day_after,
	forget_settings,
)


def capacity(corner: Corner, day, hour: int, **kw) -> int:
	job = job_for(corner.items(), corner.area, corner.lat, corner.lng)
	for slot in available_slots(job, day, day, **kw):
		if slot["start"].hour == hour:
			return slot["capacity"]
	raise AssertionError(f"no window at {hour}:00")


def book(corner: Corner, start, address=None, **kw):
	return make_booking(
		customer=corner.customer,
		address=address or corner.address,
		items=corner.items(),
		window_start=start,
		with_capacity=False,
		**kw,
	)


def paid(doc):
	doc.update({"payment_status": "Paid", "paid_amount": doc.grand_total})
	doc.flags.hs_trusted = True
	return doc.transition_to(Status.PENDING_DISPATCH)


class TestAvailability(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("availability_case")
		apply_settings()
		self.corner = Corner()
		self.t1 = self.corner.technician()
		self.t2 = self.corner.technician(lat_offset=0.02)
		self.day = day_after(2)

	def tearDown(self):
		frappe.db.rollback(save_point="availability_case")
		forget_settings()

	def test_windows_follow_settings_and_working_hours(self):
		job = job_for(self.corner.items(), self.corner.area, self.corner.lat, self.corner.lng)
		slots = available_slots(job, self.day, self.day)
		self.assertEqual([s["start"].hour for s in slots], [8, 10, 12, 14, 16, 18])
		self.assertEqual([s["capacity"] for s in slots], [2, 2, 2, 2, 2, 0])  # 18:00 ends after hours
		self.assertTrue(all(s["end"] - s["start"] == timedelta(hours=2) for s in slots))

	def test_only_qualified_technicians_in_the_area_count(self):
		self.corner.technician(skills=[])  # lacks the skill
		self.corner.technician(review_status="Pending")  # not approved
		other = Corner()
		other.technician(skills=[self.corner.skill])  # right skill, other area
		self.assertEqual(capacity(self.corner, self.day, 10), 2)

	def test_expired_certificate_suspends_until_renewed(self):
		for expiry, expected in ((self.day - timedelta(days=1), 1), (self.day + timedelta(days=30), 2)):
			with self.subTest(expiry=expiry):
				frappe.db.delete("HS Qualification", {"technician": self.t1})
				frappe.get_doc(
					{
						"doctype": "HS Qualification",
						"technician": self.t1,
						"qualification_type": "Trade Certificate",
						"certificate_no": frappe.generate_hash(length=8),
						"expiry_date": expiry,
						"review_state": "Approved",
					}
				).insert()
				self.assertEqual(capacity(self.corner, self.day, 10), expected)

	def test_leave_blocks_overlapping_windows_only(self):
		frappe.get_doc(
			{
				"doctype": "HS Technician Leave",
				"technician": self.t1,
				"from_datetime": at(self.day, 9),
				"to_datetime": at(self.day, 13),
			}
		).insert()
		self.assertEqual(capacity(self.corner, self.day, 8), 2)  # job 08:00-09:00 ends as leave starts
		self.assertEqual(capacity(self.corner, self.day, 10), 1)
		self.assertEqual(capacity(self.corner, self.day, 12), 1)
		self.assertEqual(capacity(self.corner, self.day, 14), 2)

	def test_travel_time_between_addresses_is_respected(self):
		apply_settings({"window_hours": 1})
		corner = Corner(radius_km=50)
		corner.reach(50)  # dispatch looks that far around the job (15 km by default)
		corner.technician()
		far = corner.address_at(0.26)  # ~29 km north of the centre: 58 minutes at 30 km/h
		book(corner, at(self.day, 10), address=far)
		# the one technician works 10:00-11:00 far away and needs 58 minutes to come back
		self.assertEqual(capacity(corner, self.day, 11), 0)
		self.assertEqual(capacity(corner, self.day, 12), 1)
		self.assertEqual(capacity(corner, self.day, 9), 0)  # would end 10:00 with an hour to go
		self.assertEqual(capacity(corner, self.day, 8), 1)

	def test_minimum_notice_and_horizon(self):
		now = at(self.day, 9, 30)
		job = job_for(self.corner.items(), self.corner.area, self.corner.lat, self.corner.lng)
		starts = [s["start"].hour for s in available_slots(job, self.day, self.day, now=now)]
		self.assertEqual(starts, [12, 14, 16, 18])  # 10:00 is inside the 2-hour notice
		slots = available_slots(job, self.day, self.day + timedelta(days=30))
		self.assertLessEqual(
			max(s["start"] for s in slots).date(), (now_datetime() + timedelta(days=7)).date()
		)
		self.assertRaises(SchedulingError, available_slots, job, self.day, self.day - timedelta(days=1))

	def test_daily_cap_per_technician(self):
		apply_settings({"daily_cap_per_technician": 1})
		book(self.corner, at(self.day, 8))
		self.assertEqual(capacity(self.corner, self.day, 14), 1)
		book(self.corner, at(self.day, 14))
		self.assertEqual(capacity(self.corner, self.day, 16), 0)
		self.assertEqual(capacity(self.corner, self.day + timedelta(days=1), 16), 2)

	def test_a_job_that_began_the_day_before_still_takes_the_time(self):
		self.assertEqual(capacity(self.corner, self.day, 10), 2)
		job = book(self.corner, at(self.day + timedelta(days=3), 10))
		# placed directly: an assigned visit of almost a day (the longest allowed) that ends at 10:30
		began = at(self.day, 10, 30) - LONGEST_VISIT + timedelta(minutes=30)
		frappe.db.set_value(
			"HS Booking",
			job.name,
			{
				"status": Status.ASSIGNED,
				"technician": self.t1,
				"held_technician": None,
				"window_start": began,
				"window_end": began + timedelta(hours=2),
				"service_end": at(self.day, 10, 30),
			},
		)
		self.assertEqual(capacity(self.corner, self.day, 10), 1)
		self.assertRaises(
			TechnicianBusyError,
			assert_assignable,
			job_for(self.corner.items(), self.corner.area, self.corner.lat, self.corner.lng),
			self.t1,
			at(self.day, 10),
		)

	def test_holds_take_capacity_and_expire(self):
		first = book(self.corner, at(self.day, 10))
		self.assertIn(first.held_technician, (self.t1, self.t2))
		self.assertEqual(capacity(self.corner, self.day, 10), 1)
		book(self.corner, at(self.day, 10))
		self.assertEqual(capacity(self.corner, self.day, 10), 0)
		self.assertRaises(NoCapacityError, book, self.corner, at(self.day, 10))
		# an unpaid hold stops counting when its payment window passes, and the job releases it
		frappe.db.set_value(
			"HS Booking", first.name, "payment_deadline", add_to_date(now_datetime(), minutes=-1)
		)
		self.assertEqual(capacity(self.corner, self.day, 10), 1)
		release_expired_holds()
		first.reload()
		self.assertEqual((first.status, first.held_technician), (Status.CANCELLED, None))
		self.assertEqual(release_expired_holds(), 0)  # idempotent

	def test_paid_booking_keeps_its_hold_until_assigned(self):
		booking = book(self.corner, at(self.day, 10))
		booking.update({"payment_status": "Paid", "paid_amount": booking.grand_total})
		booking.flags.hs_trusted = True
		booking.transition_to(Status.PENDING_DISPATCH)
		frappe.db.set_value(
			"HS Booking", booking.name, "payment_deadline", add_to_date(now_datetime(), minutes=-30)
		)
		self.assertEqual(capacity(self.corner, self.day, 10), 1)

	def test_come_now_considers_only_online_technicians(self):
		job = job_for(self.corner.items(), self.corner.area, self.corner.lat, self.corner.lng)
		self.assertRaises(NoCapacityError, hold_technician, job, now_datetime(), immediate=True)
		frappe.db.set_value(
			"HS Technician",
			self.t2,
			{"status": "Online", "current_latitude": self.corner.lat, "current_longitude": self.corner.lng},
		)
		self.assertEqual(hold_technician(job, now_datetime(), immediate=True), self.t2)

	def test_assignment_refuses_an_overlapping_job(self):
		first, second = book(self.corner, at(self.day, 10)), book(self.corner, at(self.day, 10, 30))
		for doc in (first, second):
			doc.update({"payment_status": "Paid", "paid_amount": doc.grand_total})
			doc.flags.hs_trusted = True
			doc.transition_to(Status.PENDING_DISPATCH)
		first.technician = first.held_technician
		first.transition_to(Status.ASSIGNED)
		second.technician = first.technician
		self.assertRaises(TechnicianBusyError, second.transition_to, Status.ASSIGNED)
		self.assertEqual(frappe.db.get_value("HS Booking", second.name, "status"), Status.PENDING_DISPATCH)

	def test_staff_assignment_in_desk_is_checked_too(self):
		first, second = book(self.corner, at(self.day, 12)), book(self.corner, at(self.day, 12))
		for doc in (first, second):
			doc.update({"payment_status": "Paid", "paid_amount": doc.grand_total})
			doc.flags.hs_trusted = True
			doc.transition_to(Status.PENDING_DISPATCH)
			doc.technician = first.held_technician  # both to the same person
		dispatcher = make_user(["HS Dispatcher"])
		from frappe.model.workflow import apply_workflow

		with self.set_user(dispatcher):
			first.save()
			apply_workflow(first, "Assign")
			second.save()
			self.assertRaises(TechnicianBusyError, apply_workflow, second, "Assign")

	def test_a_day_off_counts_nobody_that_day(self):
		weekday = self.day.strftime("%A")
		self.corner.technician(hours=[row for row in OFFICE_HOURS if row["weekday"] != weekday])
		self.assertEqual(capacity(self.corner, self.day, 10), 2)  # the third one is off
		self.assertEqual(capacity(self.corner, self.day + timedelta(days=1), 10), 3)
		# the locked path agrees with the grid: a third booking finds nobody
		book(self.corner, at(self.day, 10))
		book(self.corner, at(self.day, 10))
		self.assertRaises(NoCapacityError, book, self.corner, at(self.day, 10))


class TestTravelBetweenAssignments(FrappeTestCase):
	"""The locked assignment path (holds.assert_assignable under the technician's row lock) keeps
	the travel time, and at least the travel buffer, between two jobs that do not overlap."""

	def setUp(self):
		frappe.db.savepoint("travel_case")
		apply_settings({"window_hours": 1})  # back-to-back windows: 10:00-11:00, 11:00-12:00
		self.corner = Corner(radius_km=50)
		self.corner.reach(50)  # dispatch looks that far around the job (15 km by default)
		self.tech = self.corner.technician()
		self.corner.technician()  # a second one, so every booking finds a hold
		self.day = day_after(2)
		self.far = self.corner.address_at(0.26)  # ~29 km: 58 minutes at 30 km/h
		first = paid(book(self.corner, at(self.day, 10)))  # 10:00-11:00 at the centre
		first.technician = self.tech
		first.transition_to(Status.ASSIGNED)

	def tearDown(self):
		frappe.db.rollback(save_point="travel_case")
		forget_settings()

	def assign_at(self, doc, hour: int, minute: int = 0) -> None:
		assert_assignable(job_for_booking(doc), self.tech, at(self.day, hour, minute), booking=doc.name)

	def test_too_little_time_to_travel_is_a_conflict(self):
		second = paid(book(self.corner, at(self.day, 11), address=self.far))  # no overlap, 0 min gap
		second.technician = self.tech
		with self.assertRaises(TechnicianBusyError) as raised:
			second.transition_to(Status.ASSIGNED)
		self.assertEqual(raised.exception.http_status_code, 409)
		self.assertEqual(
			frappe.db.get_value("HS Booking", second.name, ["status", "technician"]),
			(Status.PENDING_DISPATCH, None),
		)
		# 11:00 + 58 minutes of driving < 12:00: enough time
		third = paid(book(self.corner, at(self.day, 12), address=self.far))
		third.technician = self.tech
		third.transition_to(Status.ASSIGNED)
		self.assertEqual(frappe.db.get_value("HS Booking", third.name, "technician"), self.tech)

	def test_the_travel_time_counts_beyond_the_buffer(self):
		far = book(self.corner, at(self.day, 14), address=self.far)
		self.assertRaises(TechnicianBusyError, self.assign_at, far, 11, 40)  # 40 min > buffer, < 58
		self.assign_at(far, 12)

	def test_the_buffer_applies_even_next_door(self):
		# ~1 km away (2 minutes of driving): only the 30-minute buffer separates the jobs
		near = book(self.corner, at(self.day, 14), address=self.corner.address_at(0.01))
		self.assertRaises(TechnicianBusyError, self.assign_at, near, 11, 20)
		self.assign_at(near, 11, 40)  # 11:00 + 30 minutes < 11:40
		apply_settings({"window_hours": 1, "travel_buffer_minutes": 45})
		self.assertRaises(TechnicianBusyError, self.assign_at, near, 11, 40)
		# ... and before the job: 08:50-09:50, then 30 minutes to be there at 10:00 is too short
		apply_settings({"window_hours": 1})
		self.assertRaises(TechnicianBusyError, self.assign_at, near, 8, 50)
		self.assign_at(near, 8, 20)
