# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.timeline import append_event
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

	def test_a_line_is_written_with_its_author_and_time(self):
		booking = make_booking()
		name = append_event(
			booking.name, "Note", note="Customer asked to call first", actor_role="HS Dispatcher"
		)
		event = frappe.get_doc("HS Booking Event", name)
		self.assertEqual(
			(event.booking, event.event_type, event.actor), (booking.name, "Note", "Administrator")
		)
		self.assertEqual((event.owner, event.latitude), ("Administrator", 0))
		self.assertTrue(event.timestamp and event.creation)

	def test_markup_in_a_note_is_sanitised_as_a_document_insert_would(self):
		booking = make_booking()
		name = append_event(booking.name, "Note", note='<img src=x onerror="alert(1)">call first')
		note = frappe.db.get_value("HS Booking Event", name, "note")
		self.assertNotIn("onerror", note)
		self.assertIn("call first", note)

	def test_fields_outside_the_timeline_are_refused(self):
		booking = make_booking()
		self.assertRaises(TypeError, append_event, booking.name, "Note", owner="someone@else")
