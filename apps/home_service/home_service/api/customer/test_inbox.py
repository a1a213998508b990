# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""My inbox, called as a logged-in customer."""

import frappe

from home_service.api.customer import inbox
from home_service.booking.lifecycle import Status
from home_service.notifications.inbox import notify
from home_service.tests.customer_fixtures import CustomerTestCase


class TestInbox(CustomerTestCase):
	def test_list_unread_count_and_mark_read(self):
		first = notify(self.user, "第一条", "正文", None)
		second = notify(self.user, "第二条")
		notify(self.tech_user, "someone else's")
		with self.as_customer():
			listed = inbox.list_messages()
			self.assertEqual([m["message"] for m in listed["items"]], [second, first])
			self.assertEqual((listed["total"], listed["unread_count"]), (2, 2))
			self.assertEqual(inbox.mark_read(message=first)["unread_count"], 1)
			self.assertEqual(inbox.list_messages(unread_only=True)["total"], 1)
			self.assertEqual(inbox.mark_all_read()["unread_count"], 0)
			self.assertTrue(all(m["is_read"] for m in inbox.list_messages()["items"]))

	def test_another_users_message_is_not_found(self):
		theirs = notify(self.tech_user, "for the technician")
		with self.as_customer():
			self.assertRaises(frappe.DoesNotExistError, inbox.mark_read, message=theirs)
		self.assertFalse(frappe.db.get_value("HS Message", theirs, "is_read"))

	def test_the_booking_lifecycle_notifies_the_customer(self):
		doc = self.booking_in(Status.ASSIGNED)
		messages = frappe.get_all(
			"HS Message",
			filters={"recipient": self.user, "booking": doc.name},
			fields=["title", "body"],
			order_by="creation",
		)
		self.assertEqual(len(messages), 2)  # payment received, technician assigned
		technician_name = frappe.db.get_value("HS Technician", self.tech, "technician_name")
		self.assertIn(technician_name, messages[1].body)
