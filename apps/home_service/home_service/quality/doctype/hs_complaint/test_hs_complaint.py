# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe

from home_service.booking.lifecycle import Status
from home_service.quality.doctype.hs_complaint.hs_complaint import DuplicateComplaintError
from home_service.tests.customer_fixtures import CustomerTestCase


class TestHSComplaint(CustomerTestCase):
	def complaint(self, booking: str, **kw):
		return frappe.get_doc(
			{
				"doctype": "HS Complaint",
				"booking": booking,
				"category": "Other",
				"description": "服务不满意",
				**kw,
			}
		).insert()

	def test_opened_resolved_and_one_open_per_booking(self):
		booking = self.booking_in(Status.COMPLETED).name
		someone, _user = self.new_customer()
		doc = self.complaint(booking, customer=someone)
		self.assertEqual((doc.customer, doc.technician, doc.status), (self.customer, self.tech, "Open"))
		self.assertTrue(doc.opened_on)
		self.assertRaises(DuplicateComplaintError, self.complaint, booking)
		doc.status = "In Progress"
		doc.save()
		self.assertRaises(DuplicateComplaintError, self.complaint, booking)
		doc.status, doc.resolution = "Resolved", "退还部分费用"
		doc.save()
		self.assertTrue(doc.resolved_on)
		self.complaint(booking)  # a new problem after the first was resolved

	def test_never_paid_bookings_and_markup_are_refused(self):
		self.assertRaises(frappe.ValidationError, self.complaint, self.book(10).name)
		paid = self.booking_in(Status.PENDING_DISPATCH, hour=14).name
		self.assertRaises(
			frappe.ValidationError, self.complaint, paid, description="<img src=x onerror=alert(1)>"
		)
