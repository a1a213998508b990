# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The Frappe Notification records the app ships (fixtures/notification.json, editable in Desk):
installed and enabled as shipped, and each one reaches the staff it names when its event happens."""

import json
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import frappe
from frappe.email.doctype.email_queue.email_queue import EmailQueue
from frappe.email.doctype.notification.notification import evaluate_alert
from frappe.utils import add_to_date, getdate, now_datetime, nowdate

from home_service.booking.lifecycle import Status
from home_service.quality import sla
from home_service.tests.customer_fixtures import CustomerTestCase, walk
from home_service.tests.factories import make_user
from home_service.tests.quality_fixtures import set_quality_settings

FIXTURE = Path(frappe.get_app_path("home_service", "fixtures", "notification.json"))

# name: (document type, event, channel, field watched, recipients as ("role" | "field", value))
SHIPPED = {
	"HS Booking Paid": (
		"HS Booking",
		"Value Change",
		"System Notification",
		"status",
		("role", "HS Dispatcher"),
	),
	"HS Technician Assigned": (
		"HS Booking",
		"Value Change",
		"System Notification",
		"status",
		("role", "HS Customer Service"),
	),
	"HS Technician On The Way": (
		"HS Booking",
		"Value Change",
		"System Notification",
		"status",
		("role", "HS Customer Service"),
	),
	"HS Booking Completed": (
		"HS Booking",
		"Value Change",
		"System Notification",
		"status",
		("role", "HS Customer Service"),
	),
	"HS Refund Done": ("HS Refund", "Value Change", "Email", "status", ("role", "HS Finance")),
	"HS New Offer": ("HS Dispatch Offer", "New", "System Notification", None, ("role", "HS Dispatcher")),
	"HS Certificate Expiring": (
		"HS Qualification",
		"Days Before",
		"System Notification",
		"expiry_date",
		("role", "HS Operations Manager"),
	),
	"HS SLA Breach": ("HS Complaint", "Value Change", "Email", "escalated", ("field", "escalated_to")),
}


def staff(role: str) -> str:
	"""A staff user whose bell is not copied to e-mail: Frappe sends that copy at once in tests, and
	sending commits (the copy is Frappe's own feature, not under test here)."""
	user = make_user([role])
	frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
	return user


def bell(user: str, doctype: str, name: str) -> list[str]:
	"""Subjects of the Desk notifications (the bell) `user` got about one document."""
	return frappe.get_all(
		"Notification Log",
		filters={"for_user": user, "document_type": doctype, "document_name": name},
		pluck="subject",
		order_by="creation asc",
	)


def emails(doctype: str, name: str) -> list[tuple[set[str], str]]:
	"""(recipients, raw message) of each e-mail queued about one document."""
	queued = []
	for row in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": doctype, "reference_name": name},
		fields=["name", "message"],
	):
		recipients = frappe.get_all("Email Queue Recipient", filters={"parent": row.name}, pluck="recipient")
		queued.append((set(recipients), row.message))
	return queued


def outgoing_email_account(test) -> None:
	"""Frappe e-mails only through a default outgoing Email Account (an administrator sets one up).
	Mail is queued as in production but never sent: sending commits (Email Queue status), which would
	commit this account and the test's records with it."""
	test.enterContext(patch.object(EmailQueue, "can_send_now", return_value=False))
	# Frappe caches the outgoing account per process: forget it now and after the test, whose rollback
	# removes the account (a later test must not send through a cached, vanished one)
	frappe.local.outgoing_email_account = {}
	test.addCleanup(setattr, frappe.local, "outgoing_email_account", {})
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "HS Test Outgoing " + frappe.generate_hash(length=6),
			"email_id": f"outgoing-{frappe.generate_hash(length=6)}@test.home",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "smtp.test.home",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)


class TestShippedNotifications(CustomerTestCase):
	def test_every_shipped_notification_is_installed_and_enabled(self):
		shipped = {row["name"] for row in json.loads(FIXTURE.read_text())}
		self.assertEqual(shipped, set(SHIPPED))
		for name, (doctype, event, channel, field, (kind, receiver)) in SHIPPED.items():
			with self.subTest(name):
				doc = frappe.get_doc("Notification", name)
				self.assertEqual(
					(doc.enabled, doc.document_type, doc.event, doc.channel), (1, doctype, event, channel)
				)
				if event == "Value Change":
					self.assertEqual(doc.value_changed, field)
				if event == "Days Before":
					self.assertEqual((doc.date_changed, doc.days_in_advance), (field, 30))
				by = "receiver_by_role" if kind == "role" else "receiver_by_document_field"
				self.assertEqual([r.get(by) for r in doc.recipients], [receiver])

	def test_booking_steps_ring_the_bell_of_the_right_roles(self):
		dispatcher = staff("HS Dispatcher")
		service = staff("HS Customer Service")
		doc = self.booking_in(Status.ASSIGNED)
		name, technician = doc.name, doc.technician_name
		paid = f"Booking {name} is paid and waits for dispatch"
		assigned = f"Booking {name} assigned to {technician}"
		self.assertEqual(bell(dispatcher, "HS Booking", name), [paid])
		self.assertEqual(bell(service, "HS Booking", name), [assigned])
		walk(doc, Status.COMPLETED)
		self.assertEqual(
			bell(service, "HS Booking", name),
			[assigned, f"{technician} is on the way to booking {name}", f"Booking {name} is completed"],
		)
		self.assertEqual(bell(dispatcher, "HS Booking", name), [paid])  # the others are not theirs

	def test_a_new_offer_rings_the_dispatchers_bell(self):
		dispatcher = staff("HS Dispatcher")
		service = staff("HS Customer Service")
		booking = self.booking_in(Status.PENDING_DISPATCH, hour=12).name
		offer = frappe.get_doc(
			{
				"doctype": "HS Dispatch Offer",
				"booking": booking,
				"technician": self.tech,
				"status": "Pending",
				"round": 1,
				"strategy": "Broadcast",
				"offered_on": now_datetime(),
				"expires_on": add_to_date(now_datetime(), minutes=2),
			}
		).insert(ignore_permissions=True)
		offer, technician = offer.name, offer.technician_name
		self.assertEqual(
			bell(dispatcher, "HS Dispatch Offer", offer), [f"Booking {booking} offered to {technician}"]
		)
		self.assertEqual(bell(service, "HS Dispatch Offer", offer), [])

	def test_a_succeeded_refund_emails_finance(self):
		outgoing_email_account(self)
		finance = staff("HS Finance")
		booking = self.booking_in(Status.ASSIGNED)
		refund = frappe.get_doc(
			{
				"doctype": "HS Refund",
				"booking": booking.name,
				"customer": self.customer,
				"kind": "Staff",
				"status": "Processing",
				"amount": 25,
				"amount_fen": 2500,
				"reason": "测试",
			}
		)
		refund.flags.ignore_links = True  # no payment row: only the notification is under test
		refund.insert(ignore_permissions=True, ignore_mandatory=True)
		self.assertEqual(emails("HS Refund", refund.name), [])
		refund.db_set("status", "Succeeded")  # as billing/refunds.py records the provider's answer
		queued = emails("HS Refund", refund.name)
		# one e-mail per language among the recipients (frappe_email.py), so one per person
		everyone = [user for recipients, _message in queued for user in recipients]
		self.assertEqual(len(everyone), len(set(everyone)))
		[message] = [message for recipients, message in queued if finance in recipients]
		self.assertIn(f"Refund {refund.name} succeeded", message)

	def test_an_escalated_complaint_emails_the_manager_it_went_to(self):
		outgoing_email_account(self)
		manager = staff("HS Operations Manager")
		set_quality_settings({"escalate_to": manager})
		self.addCleanup(frappe.clear_document_cache, "HS Quality Settings", "HS Quality Settings")
		booking = self.booking_in(Status.COMPLETED)
		complaint = frappe.get_doc(
			{"doctype": "HS Complaint", "booking": booking.name, "category": "Other", "description": "没修好"}
		).insert()
		frappe.db.set_value(
			"HS Complaint", complaint.name, "response_due", add_to_date(now_datetime(), minutes=-5)
		)
		self.assertIn(complaint.name, sla.escalate_breached())
		queued = emails("HS Complaint", complaint.name)
		self.assertEqual([recipients for recipients, _m in queued], [{manager}])
		self.assertIn(f"Complaint {complaint.name} breached its Response SLA", queued[0][1])

	def test_an_approved_certificate_is_announced_30_days_before_it_expires(self):
		manager = staff("HS Operations Manager")
		expiring = frappe.get_doc(
			{
				"doctype": "HS Qualification",
				"technician": self.tech,
				"qualification_type": "ID Card",
				"certificate_no": frappe.generate_hash(length=10),
				"expiry_date": getdate(nowdate()) + timedelta(days=30),
			}
		).insert(ignore_permissions=True)
		alert = frappe.get_doc("Notification", "HS Certificate Expiring")
		self.assertNotIn(expiring.name, [d.name for d in alert.get_documents_for_today()])  # not approved
		frappe.db.set_value("HS Qualification", expiring.name, "review_state", "Approved")
		due = [d for d in alert.get_documents_for_today() if d.name == expiring.name]
		self.assertEqual(len(due), 1)
		# what Frappe's daily job (trigger_daily_alerts) does for each due document, without its commit
		evaluate_alert(due[0], alert, alert.event)
		subjects = bell(manager, "HS Qualification", expiring.name)
		self.assertEqual(len(subjects), 1)
		self.assertTrue(subjects[0].startswith(f"ID Card {expiring.name} expires on "), subjects)
