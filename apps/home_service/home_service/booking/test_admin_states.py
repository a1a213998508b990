# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""An administrator adds "质检" (mapped to In Service) to the booking Workflow in Desk, between In
Service and Awaiting Confirmation: the technician's `complete` stops there, staff pass it in Desk, and
the timeline, the job card and the customer's booking show the state (booking/workflow.py)."""

from contextlib import contextmanager

import frappe
from frappe.model.workflow import apply_workflow

from home_service.api.customer import bookings as customer_api
from home_service.api.technician import jobs
from home_service.booking.lifecycle import InvalidTransitionError, Status
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.tests.factories import make_user
from home_service.tests.technician_fixtures import image_bytes, uploading

WORKFLOW = "HS Booking Lifecycle"
QC, SEND, PASS, REVIEW, REVIEWED = "质检", "送质检", "质检通过", "上门复核", "复核完成"


def ensure(doctype: str, name: str, field: str) -> None:
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, field: name}).insert()


@contextmanager
def language(lang: str):
	previous, frappe.local.lang = frappe.local.lang, lang
	try:
		yield
	finally:
		frappe.local.lang = previous


def forget_cached_workflow() -> None:
	frappe.clear_cache(doctype="HS Booking")
	frappe.clear_document_cache("Workflow", WORKFLOW)


class WorkflowChangeCase(CustomerTestCase):
	"""Each test changes the Workflow as an administrator does (the Workflow form) in its savepoint."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.dispatcher = make_user(["HS Dispatcher"])
		for action in (SEND, PASS, REVIEW, REVIEWED):
			ensure("Workflow Action Master", action, "workflow_action_name")
		for state in (QC, REVIEW):
			ensure("Workflow State", state, "workflow_state_name")

	def tearDown(self):
		super().tearDown()  # rolls the Workflow back...
		forget_cached_workflow()  # ...and the cached copy with it

	def change_workflow(self, states=(), transitions=(), repoint=()):
		"""Add `states` ((state, status)), `transitions` ((state, action, next, role)) and point
		existing transitions ((state, action, new next state)) elsewhere; saved as in Desk."""
		workflow = frappe.get_doc("Workflow", WORKFLOW)
		for state, status in states:
			row = {"state": state, "doc_status": "0", "allow_edit": "HS Dispatcher"}
			workflow.append("states", {**row, "update_field": "status", "update_value": status})
		for state, action, next_state, role in transitions:
			workflow.append(
				"transitions", {"state": state, "action": action, "next_state": next_state, "allowed": role}
			)
		for state, action, next_state in repoint:
			row = next(t for t in workflow.transitions if t.state == state and t.action == action)
			row.next_state = next_state
		workflow.save()

	def in_service(self):
		doc = self.booking_in(Status.IN_SERVICE)
		self.assertEqual(doc.workflow_state, Status.IN_SERVICE)
		return doc

	def complete(self, booking: str) -> dict:
		with self.set_user(self.tech_user), uploading(image_bytes(), "after.png"):
			url = jobs.upload_photo(booking=booking)["file_url"]
		with self.set_user(self.tech_user):
			return jobs.complete(
				booking=booking, photos=[{"file_url": url, "stage": "After"}], notes="已完成"
			)

	@staticmethod
	def state_changes(booking: str) -> list[tuple]:
		return [
			(e.from_state, e.to_state, e.to_status)
			for e in frappe.get_all(
				"HS Booking Event",
				filters={"booking": booking, "event_type": "Status Change"},
				fields=["from_state", "to_state", "to_status"],
				order_by="creation asc",
			)
		]


class TestQualityCheckInsertedByTheAdministrator(WorkflowChangeCase):
	""" "Finish Service" now leads to 质检; 质检 → Awaiting Confirmation is the dispatcher's "质检通过"."""

	def setUp(self):
		super().setUp()
		self.change_workflow(
			states=[(QC, Status.IN_SERVICE)],
			transitions=[(QC, PASS, Status.AWAITING_CONFIRMATION, "HS Dispatcher")],
			repoint=[(Status.IN_SERVICE, "Finish Service", QC)],
		)

	def test_complete_stops_at_the_new_state_until_staff_pass_it(self):
		doc = self.in_service()
		card = self.complete(doc.name)
		self.assertEqual((card["status"], card["state"]), (Status.IN_SERVICE, QC))
		self.assertNotIn("complete", card["next_actions"])  # the technician is done: staff decide now
		self.assertEqual(card["timeline"][-1]["state"], QC)
		self.assertEqual(self.complete(doc.name)["state"], QC)  # a double tap changes nothing
		self.assertEqual(self.state_changes(doc.name)[-1], (Status.IN_SERVICE, QC, Status.IN_SERVICE))
		self.assertEqual(len([c for c in self.state_changes(doc.name) if c[1] == QC]), 1)
		with self.as_customer():
			self.assertFalse(customer_api.get_booking(booking=doc.name)["actions"]["can_confirm"])
			self.assertRaises(frappe.ValidationError, customer_api.confirm_completion, booking=doc.name)

		with self.set_user(self.dispatcher):  # Desk: Actions → 质检通过
			apply_workflow(frappe.get_doc("HS Booking", doc.name), PASS)
		with self.as_customer():
			self.assertTrue(customer_api.get_booking(booking=doc.name)["actions"]["can_confirm"])
			done = customer_api.confirm_completion(booking=doc.name)
		self.assertEqual((done["status"], done["state"]), (Status.COMPLETED, Status.COMPLETED))
		self.assertEqual(
			self.state_changes(doc.name)[-3:],
			[
				(Status.IN_SERVICE, QC, Status.IN_SERVICE),
				(QC, Status.AWAITING_CONFIRMATION, Status.AWAITING_CONFIRMATION),
				(Status.AWAITING_CONFIRMATION, Status.COMPLETED, Status.COMPLETED),
			],
		)

	def test_the_mini_programs_show_the_state_in_the_users_language(self):
		doc = self.in_service()
		self.complete(doc.name)
		with language("zh"), self.as_customer():
			detail = customer_api.get_booking(booking=doc.name)
			listed = customer_api.list_bookings()["items"]
		self.assertEqual((detail["status"], detail["state"], detail["state_label"]), ("In Service", QC, QC))
		labels = [(e["state"], e["state_label"]) for e in detail["timeline"] if e["event"] == "Status Change"]
		self.assertEqual(labels[-2:], [("In Service", "服务中"), (QC, QC)])  # not 服务中 → 服务中
		self.assertEqual(next(r for r in listed if r["booking"] == doc.name)["state"], QC)
		with language("zh"), self.set_user(self.tech_user):
			listed = jobs.list_jobs(group="active")["items"]
			card = jobs.job_detail(booking=doc.name)
		self.assertEqual(next(r for r in listed if r["booking"] == doc.name)["state_label"], QC)
		self.assertEqual([e["state_label"] for e in card["timeline"]][-2:], ["服务中", QC])

	def test_an_exception_can_be_reported_from_the_new_state(self):
		"""The administrator gave 质检 no "Report Exception": an exit is open wherever the lifecycle allows."""
		doc = self.in_service()
		self.complete(doc.name)
		with self.set_user(self.tech_user):
			card = jobs.report_exception(booking=doc.name, reason="客户不在家")
		self.assertEqual((card["status"], card["state"]), (Status.EXCEPTION, Status.EXCEPTION))


class TestAnOptionalStateTheTechnicianCannotSkip(WorkflowChangeCase):
	""" "质检" is optional (the dispatcher's "送质检"; "Finish Service" still leads past it), and "上门复核"
	(mapped to Arrived) can only be left by the dispatcher's "复核完成"."""

	def setUp(self):
		super().setUp()
		self.change_workflow(
			states=[(QC, Status.IN_SERVICE), (REVIEW, Status.ARRIVED)],
			transitions=[
				(Status.IN_SERVICE, SEND, QC, "HS Dispatcher"),
				(QC, PASS, Status.AWAITING_CONFIRMATION, "HS Dispatcher"),
				(Status.ARRIVED, REVIEW, REVIEW, "HS Dispatcher"),
				(REVIEW, REVIEWED, Status.IN_SERVICE, "HS Dispatcher"),
			],
		)

	def test_complete_without_the_check_goes_straight_on(self):
		doc = self.in_service()
		card = self.complete(doc.name)
		self.assertEqual((card["status"], card["state"]), (Status.AWAITING_CONFIRMATION,) * 2)

	def test_complete_from_the_check_is_refused_with_a_readable_409(self):
		doc = self.in_service()
		with self.set_user(self.dispatcher):
			apply_workflow(frappe.get_doc("HS Booking", doc.name), SEND)
		with self.set_user(self.tech_user):
			self.assertNotIn("complete", jobs.job_detail(booking=doc.name)["next_actions"])
		with language("zh"), self.assertRaises(InvalidTransitionError) as refused:
			self.complete(doc.name)
		self.assertEqual(refused.exception.http_status_code, 409)
		message = str(refused.exception)
		self.assertIn(QC, message)
		self.assertIn(PASS, message)  # what is allowed there instead
		self.assertIn("完成服务", message)  # the step that was refused, in the user's language
		booking = frappe.get_doc("HS Booking", doc.name)
		self.assertEqual(
			(booking.status, booking.workflow_state, len(booking.photos)), (Status.IN_SERVICE, QC, 0)
		)

		with self.set_user(self.dispatcher):
			apply_workflow(booking, PASS)
		self.assertEqual(booking.status, Status.AWAITING_CONFIRMATION)

	def test_start_service_waits_for_the_review(self):
		doc = self.booking_in(Status.ARRIVED)
		with self.set_user(self.dispatcher):
			apply_workflow(doc, REVIEW)
		with self.set_user(self.tech_user), self.assertRaises(InvalidTransitionError) as refused:
			jobs.start_service(booking=doc.name)
		self.assertIn(REVIEWED, str(refused.exception))  # the workflow's refusal, naming the way on
		with self.set_user(self.dispatcher):
			apply_workflow(frappe.get_doc("HS Booking", doc.name), REVIEWED)
		self.assertEqual(
			frappe.db.get_value("HS Booking", doc.name, ["status", "workflow_state"]),
			(Status.IN_SERVICE, Status.IN_SERVICE),
		)
		self.assertEqual(
			self.state_changes(doc.name)[-2:],
			[(Status.ARRIVED, REVIEW, Status.ARRIVED), (REVIEW, Status.IN_SERVICE, Status.IN_SERVICE)],
		)
