# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""My inbox, called as a logged-in technician: only my messages, paged, with the unread count."""

import frappe
from frappe.utils import add_to_date, now_datetime

from home_service.api.technician import inbox
from home_service.booking.lifecycle import Status
from home_service.notifications.inbox import notify
from home_service.tests.customer_fixtures import CustomerTestCase


class TestTechnicianInbox(CustomerTestCase):
	def test_list_pages_unread_count_and_mark_read(self):
		first = notify(self.tech_user, "第一条", "正文")
		second = notify(self.tech_user, "第二条")
		third = notify(self.tech_user, "第三条")
		notify(self.user, "the customer's")
		with self.set_user(self.tech_user):
			listed = inbox.list_messages()
			self.assertEqual([m["message"] for m in listed["items"]], [third, second, first])
			self.assertEqual((listed["total"], listed["unread_count"]), (3, 3))
			self.assertEqual(listed["items"][2]["body"], "正文")
			page = inbox.list_messages(page=2, page_size=2)
			self.assertEqual(([m["message"] for m in page["items"]], page["has_more"]), ([first], False))
			self.assertEqual(inbox.unread_count(), {"unread_count": 3})
			self.assertEqual(inbox.mark_read(message=first)["unread_count"], 2)
			self.assertEqual(inbox.mark_read(message=first)["unread_count"], 2)  # again: no change
			self.assertEqual(
				[m["message"] for m in inbox.list_messages(unread_only=True)["items"]], [third, second]
			)
			self.assertEqual(inbox.mark_all_read(), {"unread_count": 0})
			self.assertEqual(inbox.unread_count(), {"unread_count": 0})
			self.assertTrue(all(m["is_read"] for m in inbox.list_messages()["items"]))
		self.assertFalse(frappe.db.get_value("HS Message", {"recipient": self.user}, "is_read"))

	def test_another_users_message_is_not_found(self):
		theirs = notify(self.user, "for the customer")
		with self.set_user(self.tech_user):
			self.assertRaises(frappe.DoesNotExistError, inbox.mark_read, message=theirs)
			self.assertEqual(inbox.list_messages()["total"], 0)
		self.assertFalse(frappe.db.get_value("HS Message", theirs, "is_read"))

	def test_only_technicians_call_it(self):
		with self.set_user(self.user):
			self.assertRaises(frappe.PermissionError, inbox.list_messages)
			self.assertRaises(frappe.PermissionError, inbox.mark_all_read)

	def test_a_new_offer_arrives_in_my_inbox(self):
		booking = self.booking_in(Status.PENDING_DISPATCH, hour=12)
		frappe.get_doc(
			{
				"doctype": "HS Dispatch Offer",
				"booking": booking.name,
				"technician": self.tech,
				"status": "Pending",
				"round": 1,
				"strategy": "Broadcast",
				"offered_on": now_datetime(),
				"expires_on": add_to_date(now_datetime(), minutes=2),
			}
		).insert(ignore_permissions=True)
		with self.set_user(self.tech_user):
			listed = inbox.list_messages()
		self.assertEqual((listed["total"], listed["unread_count"]), (1, 1))
		self.assertIn(booking.name, listed["items"][0]["body"])
