# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""An administrator changes the business in Desk, without code, and each change takes effect.

Each test writes only records an administrator creates through Desk forms (Workflow, HS Dispatch
Rule, HS Price Rule, Notification), as Administrator, then drives the app the normal way. The
booking workflow's own extension (states and buttons on HS Booking Lifecycle) is covered in
booking/test_workflow.py; this adds the qualification review, dispatch, pricing and notifications.
"""

from datetime import timedelta

import frappe
from frappe.custom.doctype.property_setter.property_setter import make_property_setter
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.utils import getdate, nowdate

from home_service.booking.lifecycle import Status
from home_service.catalog.pricing import compute_quote
from home_service.dispatch.engine import dispatch_booking, find_rule
from home_service.scheduling.eligibility import eligible_technicians
from home_service.tests.customer_fixtures import CustomerTestCase, walk
from home_service.tests.factories import make_technician, make_user
from home_service.tests.scheduling_fixtures import at

QUALIFICATION_WORKFLOW = "HS Qualification Review"


def ensure(doctype: str, name: str, **values) -> None:
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, **values}).insert()


class TestAdministratorWithoutCode(CustomerTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.addClassCleanup(cls.forget_caches)  # runs after the class rollback

	@staticmethod
	def forget_caches():
		frappe.clear_cache(doctype="HS Qualification")
		frappe.clear_document_cache("Workflow", QUALIFICATION_WORKFLOW)
		frappe.cache.hdel("notifications", "HS Complaint")

	def tearDown(self):
		super().tearDown()
		self.forget_caches()

	def test_a_review_step_added_to_the_qualification_workflow(self):
		ensure("Workflow State", "Second Opinion", workflow_state_name="Second Opinion", style="Info")
		ensure("Workflow Action Master", "Ask Second Opinion", workflow_action_name="Ask Second Opinion")
		# Customize Form: the review state field offers the new state (a Property Setter)
		make_property_setter(
			"HS Qualification",
			"review_state",
			"options",
			"Submitted\nUnder Review\nSecond Opinion\nApproved\nRejected\nExpired",
			"Text",
		)
		workflow = frappe.get_doc("Workflow", QUALIFICATION_WORKFLOW)
		workflow.append(
			"states", {"state": "Second Opinion", "doc_status": "0", "allow_edit": "HS Customer Service"}
		)
		for state, action, next_state, role in (
			("Under Review", "Ask Second Opinion", "Second Opinion", "HS Operations Manager"),
			("Second Opinion", "Approve", "Approved", "HS Customer Service"),
			("Second Opinion", "Reject", "Rejected", "HS Customer Service"),
		):
			workflow.append(
				"transitions", {"state": state, "action": action, "next_state": next_state, "allowed": role}
			)
		workflow.save()

		reviewer, second = make_user(["HS Operations Manager"]), make_user(["HS Customer Service"])
		tech = make_technician(skills=[self.corner.skill], areas=[self.corner.area], review_status="Pending")
		doc = frappe.get_doc(
			{
				"doctype": "HS Qualification",
				"technician": tech,
				"qualification_type": "ID Card",
				"certificate_no": frappe.generate_hash(length=10),
			}
		).insert(ignore_permissions=True)
		with self.set_user(reviewer):
			doc = apply_workflow(apply_workflow(doc, "Start Review"), "Ask Second Opinion")
			self.assertEqual(doc.review_state, "Second Opinion")
			self.assertRaises(WorkflowTransitionError, apply_workflow, doc, "Approve")  # not their step
		with self.set_user(second):
			doc.reload()
			self.assertRaises(frappe.ValidationError, apply_workflow, doc, "Reject")  # reason still required
			doc.reload()
			doc = apply_workflow(doc, "Approve")
		self.assertEqual(doc.review_state, "Approved")
		# the controller's approval side effects hold on the new path: the technician is dispatchable
		self.assertEqual(frappe.db.get_value("HS Technician", tech, "review_status"), "Approved")
		self.assertIn(tech, [c.name for c in eligible_technicians(self.corner.skill, self.corner.area)])

	def test_a_dispatch_rule_is_chosen_by_the_engine(self):
		other = self.corner.technician()
		booking = walk(self.book(hour=11), Status.PENDING_DISPATCH)
		self.assertFalse(find_rule(booking).name)  # nothing matches this area yet: the default
		rule = frappe.get_doc(
			{
				"doctype": "HS Dispatch Rule",
				"rule_name": f"Broadcast {self.corner.area}",
				"priority": 1000,
				"strategy": "Broadcast",
				"service_area": self.corner.area,
				"broadcast_size": 5,
				"offer_timeout_seconds": 300,
			}
		).insert()
		self.assertEqual(find_rule(booking).name, rule.name)
		dispatch_booking(booking.name)
		booking.reload()
		self.assertEqual((booking.dispatch_rule, booking.status), (rule.name, Status.OFFERED))
		offers = frappe.get_all(
			"HS Dispatch Offer",
			filters={"booking": booking.name},
			fields=["technician", "strategy", "dispatch_rule"],
		)
		self.assertEqual({o.technician for o in offers}, {self.tech, other})  # broadcast: everyone
		self.assertEqual({(o.strategy, o.dispatch_rule) for o in offers}, {("Broadcast", rule.name)})

	def test_a_changed_price_rule_changes_the_quote(self):
		start = at(self.day, 10)
		items = self.corner.items()

		def total():
			return compute_quote(items, start, service_area=self.corner.area).grand_total

		base = total()
		rule = frappe.get_doc(
			{
				"doctype": "HS Price Rule",
				"rule_name": "节日加价 " + frappe.generate_hash(length=6),
				"rule_type": "Holiday Surcharge",
				"service_area": self.corner.area,
				"from_date": self.day - timedelta(days=1),
				"to_date": self.day + timedelta(days=1),
				"adjustment_type": "Percent",
				"percent": 10,
			}
		).insert()
		self.assertEqual(total(), base * 110 / 100)
		rule.percent = 30  # the administrator edits the rule
		rule.save()
		self.assertEqual(total(), base * 130 / 100)
		rule.is_active = 0
		rule.save()
		self.assertEqual(total(), base)
		booking = self.book(hour=15)  # a booking made now is priced by the rules in force
		self.assertEqual(booking.grand_total, base)

	def test_a_new_notification_is_sent_and_logged(self):
		watcher = make_user(["HS Customer Service"])
		frappe.get_doc(
			{
				"doctype": "Notification",
				"name": "New complaint alert " + frappe.generate_hash(length=6),
				"subject": "New complaint {{ doc.name }} ({{ doc.category }})",
				"document_type": "HS Complaint",
				"event": "New",
				"channel": "System Notification",
				"message": "{{ doc.description }}",
				"recipients": [
					{"receiver_by_document_field": "owner"},
					{"receiver_by_role": "HS Customer Service"},
				],
			}
		).insert()
		booking = walk(self.book(hour=16), Status.COMPLETED, self.tech)
		complaint = frappe.get_doc(
			{
				"doctype": "HS Complaint",
				"booking": booking.name,
				"category": "Other",
				"description": "师傅迟到",
			}
		).insert()
		bell = frappe.get_all(
			"Notification Log",
			filters={"for_user": watcher, "document_type": "HS Complaint", "document_name": complaint.name},
			pluck="subject",
		)
		self.assertEqual(len(bell), 1)
		self.assertIn(complaint.name, bell[0])
		logged = frappe.get_all(
			"HS Notification Log",
			filters={"reference_doctype": "HS Complaint", "reference_name": complaint.name, "user": watcher},
			fields=["channel", "status", "event"],
		)
		self.assertEqual(logged, [{"channel": "System", "status": "Sent", "event": "Notification"}])
		self.assertEqual(getdate(nowdate()), getdate(complaint.opened_on))
