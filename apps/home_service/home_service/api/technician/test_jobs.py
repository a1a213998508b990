# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""A technician takes a job from the offer to "awaiting confirmation", only on their own bookings."""

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.api.technician import jobs, offers
from home_service.api.technician.jobs import CheckInTooFarError
from home_service.booking.lifecycle import InvalidTransitionError, Status
from home_service.tests.factories import CENTRE
from home_service.tests.technician_fixtures import (
	assigned_booking,
	image_bytes,
	offered_booking,
	technician_with_user,
	uploading,
)

NEAR = (CENTRE[0] + 0.001, CENTRE[1])  # about 110 m
FAR = (CENTRE[0] + 0.05, CENTRE[1])  # about 5.5 km


class TestTechnicianJobs(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.technician, cls.user = technician_with_user()
		cls.other, cls.other_user = technician_with_user()

	def photo(self, booking: str) -> str:
		with self.set_user(self.user), uploading(image_bytes(), "after.png"):
			return jobs.upload_photo(booking=booking)["file_url"]

	def test_offer_to_awaiting_confirmation(self):
		# a technician of its own: the Busy / Online checks must not see other tests' jobs
		self.technician, self.user = technician_with_user()
		doc, offer = offered_booking(self.technician)
		with self.set_user(self.user):
			listed = offers.list_offers()["items"]
			self.assertEqual([row["offer"] for row in listed], [offer])
			self.assertNotIn("contact", listed[0])
			self.assertNotIn("address", listed[0])
			self.assertTrue(listed[0]["items"] and listed[0]["price"])
			self.assertEqual(offers.accept_offer(offer=offer)["status"], Status.ASSIGNED)

			card = jobs.job_detail(booking=doc.name)
			self.assertEqual(card["contact"]["phone"], doc.contact_phone)
			self.assertEqual(card["next_actions"], ["depart", "report_exception"])
			self.assertFalse(card["is_recycling"])  # a cleaning job: completed, not weighed

			self.assertEqual(jobs.depart(booking=doc.name)["status"], Status.ON_THE_WAY)
			self.assertEqual(frappe.db.get_value("HS Technician", self.technician, "status"), "Busy")

			self.assertRaises(
				CheckInTooFarError, jobs.arrive, booking=doc.name, latitude=FAR[0], longitude=FAR[1]
			)
			self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.ON_THE_WAY)
			arrived = jobs.arrive(booking=doc.name, latitude=NEAR[0], longitude=NEAR[1])
			self.assertEqual(arrived["status"], Status.ARRIVED)
			event = frappe.get_all(
				"HS Booking Event",
				filters={"booking": doc.name, "to_status": Status.ARRIVED},
				fields=["latitude", "longitude", "actor_role"],
			)[0]
			self.assertAlmostEqual(event.latitude, NEAR[0], places=5)
			self.assertEqual(event.actor_role, "HS Technician")

			self.assertEqual(jobs.start_service(booking=doc.name)["status"], Status.IN_SERVICE)
			charged = jobs.propose_extra_charges(
				booking=doc.name, lines=[{"description": "更换滤网", "amount": "35.5", "status": "Approved"}]
			)
			self.assertEqual(charged["extra_charges"][0]["status"], "Proposed")
			self.assertEqual(charged["extra_charges"][0]["amount"], "35.50")

		url = self.photo(doc.name)
		self.assertTrue(url.startswith("/private/files/"))
		with self.set_user(self.user):
			done = jobs.complete(
				booking=doc.name, photos=[{"file_url": url, "stage": "After"}], notes="已清洗完毕"
			)
		self.assertEqual(done["status"], Status.AWAITING_CONFIRMATION)
		self.assertEqual(done["photos"][0]["file_url"], url)
		self.assertEqual(frappe.db.get_value("HS Technician", self.technician, "status"), "Online")
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "extra_total"), 0)

	def test_repeating_a_step_is_harmless_and_skipping_one_is_refused(self):
		doc = assigned_booking(self.technician)
		with self.set_user(self.user):
			self.assertRaises(InvalidTransitionError, jobs.start_service, booking=doc.name)
			jobs.depart(booking=doc.name)
			jobs.depart(booking=doc.name)
		events = frappe.db.count("HS Booking Event", {"booking": doc.name, "to_status": Status.ON_THE_WAY})
		self.assertEqual(events, 1)

	def test_another_technicians_booking_is_not_found(self):
		doc = assigned_booking(self.other)
		with self.set_user(self.user):
			for call, kwargs in (
				(jobs.job_detail, {}),
				(jobs.depart, {}),
				(jobs.arrive, {"latitude": NEAR[0], "longitude": NEAR[1]}),
				(jobs.report_exception, {"reason": "x"}),
				(jobs.propose_extra_charges, {"lines": [{"description": "x", "amount": 1}]}),
			):
				with self.subTest(call.__name__):
					self.assertRaises(frappe.DoesNotExistError, call, booking=doc.name, **kwargs)
			self.assertRaises(frappe.DoesNotExistError, jobs.job_detail, booking="HS-BK-0000-00000")
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.ASSIGNED)

	def test_completion_needs_an_after_photo_the_technician_uploaded(self):
		doc = assigned_booking(self.technician)
		with self.set_user(self.user):
			jobs.depart(booking=doc.name)
			jobs.arrive(booking=doc.name, latitude=NEAR[0], longitude=NEAR[1])
			jobs.start_service(booking=doc.name)
		mine = self.photo(doc.name)
		with self.set_user(self.other_user):
			theirs = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "theirs.png",
					"content": image_bytes(size=(9, 9)),
					"is_private": 1,
				}
			).insert(ignore_permissions=True)
		with self.set_user(self.user):
			self.assertRaises(frappe.ValidationError, jobs.complete, booking=doc.name, photos=[])
			self.assertRaises(
				frappe.ValidationError,
				jobs.complete,
				booking=doc.name,
				photos=[{"file_url": mine, "stage": "Before"}],
			)
			self.assertRaises(
				frappe.PermissionError,
				jobs.complete,
				booking=doc.name,
				photos=[{"file_url": theirs.file_url, "stage": "After"}],
			)
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.IN_SERVICE)

	def test_extra_charge_amounts_are_validated(self):
		doc = assigned_booking(self.technician)
		with self.set_user(self.user):
			jobs.depart(booking=doc.name)
			jobs.arrive(booking=doc.name, latitude=NEAR[0], longitude=NEAR[1])
			for bad in ("abc", "NaN", "1.001", -5, 0, "1e9", True, None):
				with self.subTest(bad):
					self.assertRaises(
						frappe.ValidationError,
						jobs.propose_extra_charges,
						booking=doc.name,
						lines=[{"description": "零件", "amount": bad}],
					)
		self.assertFalse(frappe.get_doc("HS Booking", doc.name).extra_charges)

	def test_exception_with_reason_frees_the_technician(self):
		self.technician, self.user = technician_with_user()
		doc = assigned_booking(self.technician)
		with self.set_user(self.user):
			jobs.depart(booking=doc.name)
			self.assertRaises(frappe.ValidationError, jobs.report_exception, booking=doc.name, reason=" ")
			result = jobs.report_exception(booking=doc.name, reason="客户不在家")
		self.assertEqual(result["status"], Status.EXCEPTION)
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "exception_reason"), "客户不在家")
		self.assertEqual(frappe.db.get_value("HS Technician", self.technician, "status"), "Online")

	def test_uploads_are_typed_by_content_and_bounded(self):
		from home_service.utils.uploads import FileTooLargeError, UnsupportedFileTypeError

		doc = assigned_booking(self.technician)
		with self.set_user(self.user):
			self.assertRaises(InvalidTransitionError, self.photo, doc.name)  # not under way yet
			jobs.depart(booking=doc.name)
			with uploading(b"<html><script>alert(1)</script></html>", "evil.png"):
				self.assertRaises(UnsupportedFileTypeError, jobs.upload_photo, booking=doc.name)
			with uploading(b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "big.png"):
				self.assertRaises(FileTooLargeError, jobs.upload_photo, booking=doc.name)

	def test_job_lists_by_group_and_closed_jobs_hide_contact(self):
		technician, user = technician_with_user()
		active = assigned_booking(technician)
		closed = assigned_booking(technician)
		closed.transition_to(Status.CANCELLED)
		assigned_booking(self.other)
		with self.set_user(user):
			page = jobs.list_jobs(group="active")
			self.assertEqual([row["booking"] for row in page["items"]], [active.name])
			self.assertEqual(page["total"], 1)
			history = jobs.list_jobs(group="history")["items"]
			self.assertEqual([row["booking"] for row in history], [closed.name])
			card = jobs.job_detail(booking=closed.name)
			self.assertIn("****", card["contact"]["phone"])
			self.assertIsNone(card["address"]["display"])
			self.assertRaises(frappe.ValidationError, jobs.list_jobs, group="everything")
			self.assertRaises(frappe.ValidationError, jobs.list_jobs, page_size=500)
