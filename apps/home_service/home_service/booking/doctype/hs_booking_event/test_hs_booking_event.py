# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_booking, make_user


class TestHSBookingEvent(FrappeTestCase):
	def test_events_are_append_only(self):
		booking = make_booking()
		event = frappe.get_doc("HS Booking Event", {"booking": booking.name})
		event.note = "rewritten history"
		self.assertRaises(frappe.PermissionError, event.save)

	def test_staff_cannot_delete_the_timeline(self):
		booking = make_booking()
		name = frappe.db.get_value("HS Booking Event", {"booking": booking.name})
		with self.set_user(make_user(["HS Operations Manager"])):
			self.assertRaises(frappe.PermissionError, frappe.delete_doc, "HS Booking Event", name)
