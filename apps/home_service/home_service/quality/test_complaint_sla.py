# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Complaint SLAs and escalation, compensation and the warranty re-visit."""

from datetime import timedelta

import frappe
from frappe.utils import add_days, get_datetime, now_datetime

from home_service.booking.lifecycle import Status
from home_service.quality import service, sla
from home_service.quality.service import CompensationError, RevisitError
from home_service.quality.working_calendar import from_settings
from home_service.tests.customer_fixtures import CustomerTestCase, walk
from home_service.tests.factories import make_user
from home_service.tests.marketing_fixtures import make_template
from home_service.tests.providers import fake_wechatpay
from home_service.tests.quality_fixtures import set_quality_settings
from home_service.tests.scheduling_fixtures import at

CALENDAR = {
	"work_start_time": "09:00:00",
	"work_end_time": "18:00:00",
	**{f"work_{d}": 1 for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday")},
	"work_sunday": 0,
	"holidays": None,
	"response_sla_hours": 2,
	"resolution_sla_hours": 24,
	"warranty_days": 30,
}


class QualityCase(CustomerTestCase):
	def setUp(self):
		super().setUp()
		self.manager = make_user(["HS Operations Manager"])
		set_quality_settings({**CALENDAR, "escalate_to": self.manager})

	def tearDown(self):
		super().tearDown()
		frappe.clear_document_cache("HS Quality Settings", "HS Quality Settings")

	def complaint(self, booking: str, **kw):
		return frappe.get_doc(
			{
				"doctype": "HS Complaint",
				"booking": booking,
				"category": "Other",
				"description": "没修好",
				**kw,
			}
		).insert()


class TestComplaintSla(QualityCase):
	def test_due_times_are_counted_in_working_hours(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)
		calendar = from_settings()
		opened = get_datetime(doc.opened_on)
		self.assertEqual(get_datetime(doc.response_due), calendar.add_hours(opened, 2))
		self.assertEqual(get_datetime(doc.resolution_due), calendar.add_hours(opened, 24))
		self.assertEqual(calendar.working_seconds(opened, get_datetime(doc.resolution_due)), 24 * 3600)

	def test_staff_cannot_write_the_sla_fields(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)
		due = doc.response_due
		doc.response_due, doc.escalated = add_days(now_datetime(), 30), 1
		doc.save()
		doc.reload()
		self.assertEqual((str(doc.response_due), doc.escalated), (str(due), 0))

	def test_taking_up_the_complaint_is_the_response(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)
		self.assertFalse(doc.first_response_on)
		doc.status = "In Progress"
		doc.save()
		self.assertTrue(doc.first_response_on)

	def test_breach_escalates_once_assigns_and_notifies(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)
		late = now_datetime() - timedelta(minutes=5)
		frappe.db.set_value("HS Complaint", doc.name, "response_due", late)
		self.assertIn(doc.name, sla.escalate_breached())
		doc.reload()
		self.assertEqual((doc.escalated, doc.escalated_to, doc.breached), (1, self.manager, "Response"))
		todo = frappe.get_all(
			"ToDo",
			filters={"reference_type": "HS Complaint", "reference_name": doc.name, "status": "Open"},
			pluck="allocated_to",
		)
		self.assertEqual(todo, [self.manager])
		self.assertTrue(
			frappe.db.exists(
				"Notification Log",
				{"for_user": self.manager, "document_type": "HS Complaint", "document_name": doc.name},
			)
		)
		logs = frappe.get_all(
			"HS Notification Log",
			filters={"reference_doctype": "HS Complaint", "reference_name": doc.name},
			fields=["event", "channel", "status"],
		)
		self.assertIn({"event": "SLA Breach", "channel": "System", "status": "Sent"}, logs)
		# Frappe's assignment alert (a Desk notification) is logged as well
		self.assertIn({"event": "Notification", "channel": "System", "status": "Sent"}, logs)
		self.assertEqual(sla.escalate_breached(), [])  # idempotent
		self.assertEqual(
			frappe.db.count("ToDo", {"reference_type": "HS Complaint", "reference_name": doc.name}), 1
		)

	def test_responded_complaint_escalates_only_on_resolution(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)
		doc.status = "In Progress"
		doc.save()
		frappe.db.set_value("HS Complaint", doc.name, "response_due", now_datetime() - timedelta(hours=1))
		self.assertNotIn(doc.name, sla.escalate_breached())
		frappe.db.set_value("HS Complaint", doc.name, "resolution_due", now_datetime() - timedelta(minutes=1))
		self.assertIn(doc.name, sla.escalate_breached())
		self.assertEqual(frappe.db.get_value("HS Complaint", doc.name, "breached"), "Resolution")

	def test_resolved_complaints_are_not_escalated(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)
		doc.status, doc.resolution = "Resolved", "已上门返修"
		doc.save()
		frappe.db.set_value("HS Complaint", doc.name, "resolution_due", now_datetime() - timedelta(hours=1))
		self.assertNotIn(doc.name, sla.escalate_breached())  # the demo city's open complaints may be due


class TestCompensation(QualityCase):
	def test_coupon_is_issued_once_and_linked(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)
		template = make_template(claimable=0)
		coupon = service.compensate_with_coupon(doc.name, template)
		self.assertEqual(frappe.db.get_value("HS Customer Coupon", coupon, "customer"), self.customer)
		self.assertEqual(frappe.db.get_value("HS Complaint", doc.name, "compensation_coupon"), coupon)
		self.assertRaises(CompensationError, service.compensate_with_coupon, doc.name, template)
		self.assertEqual(
			frappe.db.count("HS Customer Coupon", {"customer": self.customer, "template": template}), 1
		)

	def test_refund_is_requested_for_approval_and_linked(self):
		with fake_wechatpay() as fake:
			from home_service.tests.billing_fixtures import pay_with_wechat

			frappe.db.set_value(
				"HS Customer", self.customer, "wechat_openid", "o-" + frappe.generate_hash(length=10)
			)
			booking = self.book(hour=11)
			pay_with_wechat(fake, booking)
			walk(booking, Status.COMPLETED, self.tech)
			doc = self.complaint(booking.name)
			refund = service.compensate_with_refund(doc.name, 30, "上门迟到两小时")
		row = frappe.db.get_value("HS Refund", refund, ["booking", "amount", "status", "kind"], as_dict=True)
		self.assertEqual(
			(row.booking, float(row.amount), row.status, row.kind),
			(booking.name, 30.0, "Pending Approval", "Staff"),
		)
		self.assertEqual(frappe.db.get_value("HS Complaint", doc.name, "compensation_refund"), refund)
		self.assertRaises(CompensationError, service.compensate_with_refund, doc.name, 10, "again")

	def test_refund_needs_a_payment(self):
		doc = self.complaint(self.booking_in(Status.COMPLETED).name)  # marked paid, no payment row
		self.assertRaises(frappe.ValidationError, service.compensate_with_refund, doc.name, 10, "迟到")
		self.assertFalse(frappe.db.get_value("HS Complaint", doc.name, "compensation_refund"))


class TestWarrantyRevisit(QualityCase):
	def test_free_revisit_with_the_same_technician(self):
		original = self.booking_in(Status.COMPLETED)
		doc = self.complaint(original.name)
		revisit = service.create_revisit(
			original.name, at(self.day + timedelta(days=1), 10), complaint=doc.name
		)
		self.assertEqual(revisit.revisit_of, original.name)
		self.assertEqual(float(revisit.grand_total), 0.0)
		self.assertEqual(revisit.payment_status, "Paid")
		self.assertEqual((revisit.status, revisit.technician), (Status.ASSIGNED, self.tech))
		self.assertEqual(frappe.db.get_value("HS Complaint", doc.name, "revisit_booking"), revisit.name)
		self.assertRaises(
			RevisitError, service.create_revisit, original.name, at(self.day + timedelta(days=2), 10)
		)

	def test_busy_technician_leaves_it_to_dispatch(self):
		original = self.booking_in(Status.COMPLETED)
		when = at(self.day + timedelta(days=1), 10)
		self.booking_in(Status.ASSIGNED, hour=10, day=when.date())  # self.tech is taken then
		other = self.corner.technician()
		revisit = service.create_revisit(original.name, when)
		self.assertEqual(revisit.status, Status.PENDING_DISPATCH)
		self.assertFalse(revisit.technician)
		self.assertEqual(revisit.held_technician, other)
		self.assertEqual(float(revisit.grand_total), 0.0)

	def test_only_completed_bookings_within_the_warranty(self):
		when = at(self.day + timedelta(days=1), 10)
		assigned = self.booking_in(Status.ASSIGNED, hour=14)
		self.assertRaises(RevisitError, service.create_revisit, assigned.name, when)
		original = self.booking_in(Status.COMPLETED)
		frappe.db.set_value("HS Booking", original.name, "completed_on", add_days(now_datetime(), -31))
		self.assertRaises(RevisitError, service.create_revisit, original.name, when)
		self.assertFalse(frappe.db.exists("HS Booking", {"revisit_of": original.name}))

	def test_customers_cannot_make_a_booking_free(self):
		original = self.booking_in(Status.COMPLETED)
		doc = self.book(hour=15)
		doc.revisit_of = original.name
		doc.save()
		doc.reload()
		self.assertFalse(doc.revisit_of)
		self.assertGreater(float(doc.grand_total), 0)
