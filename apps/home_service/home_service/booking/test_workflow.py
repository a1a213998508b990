# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The shipped Workflow drives Desk buttons; an administrator's additions cannot break the lifecycle."""

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow, get_transitions
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import InvalidTransitionError, Status, TransitionInvariantError
from home_service.tests.factories import advance, make_booking, make_item, make_user

WORKFLOW = "HS Booking Lifecycle"


def ensure_action(name: str) -> None:
	if not frappe.db.exists("Workflow Action Master", name):
		frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": name}).insert()


def ensure_state(name: str) -> None:
	if not frappe.db.exists("Workflow State", name):
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": name, "style": "Info"}).insert()


class TestShippedWorkflow(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.item = make_item()
		cls.dispatcher = make_user(["HS Dispatcher"])
		cls.service = make_user(["HS Customer Service"])

	def test_buttons_follow_roles(self):
		doc = advance(make_booking(item=self.item), Status.PENDING_DISPATCH)
		with self.set_user(self.dispatcher):
			actions = {t["action"] for t in get_transitions(doc)}
		self.assertNotIn("Assign", actions)  # condition: a technician must be chosen first
		with self.set_user(self.service):
			self.assertEqual({t["action"] for t in get_transitions(doc)}, {"Cancel", "Report Exception"})

	def test_desk_buttons_move_the_booking_and_record_events(self):
		doc = advance(make_booking(item=self.item), Status.PENDING_DISPATCH)
		with self.set_user(self.dispatcher):
			doc.technician = doc.held_technician
			doc.save()
			for action, status in (
				("Assign", Status.ASSIGNED),
				("Depart", Status.ON_THE_WAY),
				("Arrive", Status.ARRIVED),
				("Start Service", Status.IN_SERVICE),
				("Finish Service", Status.AWAITING_CONFIRMATION),
			):
				doc = apply_workflow(doc, action)
				self.assertEqual(doc.status, status)
		with self.set_user(self.service):
			doc = apply_workflow(doc, "Confirm Completion")
		self.assertEqual(doc.status, Status.COMPLETED)
		self.assertTrue(doc.completed_on)
		roles = frappe.get_all("HS Booking Event", filters={"booking": doc.name}, pluck="actor_role")
		self.assertIn("HS Dispatcher", roles)

	def test_role_without_the_transition_is_refused(self):
		doc = advance(make_booking(item=self.item), Status.AWAITING_CONFIRMATION)
		with self.set_user(self.dispatcher):
			self.assertRaises(WorkflowTransitionError, apply_workflow, doc, "Confirm Completion")


class TestWorkflowActionQueue(FrappeTestCase):
	"""Workflow Actions list what staff are expected to do next, not every exit they could take:
	cancelling, reporting an exception and refunding lead to optional states."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.item = make_item()

	def open_actions(self, doc) -> dict[str, set[str]]:
		rows = frappe.get_all(
			"Workflow Action",
			filters={"reference_doctype": "HS Booking", "reference_name": doc.name, "status": "Open"},
			pluck="name",
		)
		return {
			frappe.db.get_value("Workflow Action", name, "workflow_state"): set(
				frappe.get_all("Workflow Action Permitted Role", {"parent": name}, pluck="role")
			)
			for name in rows
		}

	def test_an_unpaid_booking_waits_for_the_customer_not_for_staff(self):
		self.assertEqual(self.open_actions(make_booking(item=self.item)), {})

	def test_a_finished_service_waits_for_customer_service(self):
		doc = advance(make_booking(item=self.item), Status.AWAITING_CONFIRMATION)
		self.assertEqual(self.open_actions(doc), {"Awaiting Confirmation": {"HS Customer Service"}})

	def test_progress_reported_outside_desk_clears_the_dispatchers_to_do(self):
		doc = advance(make_booking(item=self.item), Status.ASSIGNED)
		self.assertEqual(self.open_actions(doc), {"Assigned": {"HS Dispatcher"}})
		with self.set_user(make_user(["HS Technician"])):
			doc.transition_to(Status.ON_THE_WAY, actor_role="HS Technician")
		self.assertEqual(self.open_actions(doc), {"On The Way": {"HS Dispatcher"}})

	def test_a_completed_paid_booking_is_not_queued_for_a_refund(self):
		doc = advance(make_booking(item=self.item), Status.COMPLETED)
		self.assertGreater(doc.paid_amount, 0)
		self.assertEqual(self.open_actions(doc), {})


class TestAdministratorExtendsWorkflow(FrappeTestCase):
	"""Adds a state and transitions through the Workflow DocType, as an administrator does in Desk."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.addClassCleanup(cls.forget_cached_workflow)  # runs after the rollback (cleanups are LIFO)
		cls.item = make_item()
		cls.dispatcher = make_user(["HS Dispatcher"])
		cls.service = make_user(["HS Customer Service"])
		for action in ("Send to Quality Check", "Pass Quality Check", "Force Complete"):
			ensure_action(action)
		ensure_state("Quality Check")
		workflow = frappe.get_doc("Workflow", WORKFLOW)
		workflow.append(
			"states",
			{
				"state": "Quality Check",
				"doc_status": "0",
				"allow_edit": "HS Dispatcher",
				"update_field": "status",
				"update_value": Status.IN_SERVICE,
			},
		)
		for state, action, next_state, role in (
			(Status.IN_SERVICE, "Send to Quality Check", "Quality Check", "HS Dispatcher"),
			("Quality Check", "Pass Quality Check", Status.AWAITING_CONFIRMATION, "HS Dispatcher"),
			# a careless transition the lifecycle must refuse
			(Status.PENDING_PAYMENT, "Force Complete", Status.COMPLETED, "HS Customer Service"),
		):
			workflow.append(
				"transitions", {"state": state, "action": action, "next_state": next_state, "allowed": role}
			)
		workflow.save()

	@staticmethod
	def forget_cached_workflow():
		frappe.clear_cache(doctype="HS Booking")
		frappe.clear_document_cache("Workflow", WORKFLOW)

	def test_intermediate_state_keeps_its_category(self):
		doc = advance(make_booking(item=self.item), Status.IN_SERVICE)
		with self.set_user(self.dispatcher):
			doc = apply_workflow(doc, "Send to Quality Check")
			self.assertEqual((doc.workflow_state, doc.status), ("Quality Check", Status.IN_SERVICE))
			doc = apply_workflow(doc, "Pass Quality Check")
		self.assertEqual(
			(doc.workflow_state, doc.status), (Status.AWAITING_CONFIRMATION, Status.AWAITING_CONFIRMATION)
		)
		timeline = frappe.get_all(
			"HS Booking Event", filters={"booking": doc.name}, fields=["to_state"], order_by="creation asc"
		)
		self.assertIn("Quality Check", [e.to_state for e in timeline])

	def test_a_step_through_the_api_cannot_skip_the_new_state(self):
		"""The technician's app finishes the job while Desk has it in the admin's state: refused until
		the dispatcher passes the check (booking/test_admin_states.py drives the whole path)."""
		doc = advance(make_booking(item=self.item), Status.IN_SERVICE)
		with self.set_user(self.dispatcher):
			doc = apply_workflow(doc, "Send to Quality Check")
		self.assertRaises(InvalidTransitionError, doc.take_step, Status.AWAITING_CONFIRMATION)
		doc.reload()
		self.assertEqual((doc.status, doc.workflow_state), (Status.IN_SERVICE, "Quality Check"))

	def test_a_system_move_leaves_the_new_state(self):
		"""A move code makes (not a person's step) lands in the category's own state."""
		doc = advance(make_booking(item=self.item), Status.IN_SERVICE)
		with self.set_user(self.dispatcher):
			doc = apply_workflow(doc, "Send to Quality Check")
		doc.transition_to(Status.EXCEPTION)
		self.assertEqual(doc.workflow_state, Status.EXCEPTION)

	def test_invariants_hold_against_an_admin_transition(self):
		doc = make_booking(item=self.item)
		with self.set_user(self.service):
			self.assertRaises(InvalidTransitionError, apply_workflow, doc, "Force Complete")
		doc.reload()
		self.assertEqual((doc.status, doc.workflow_state), (Status.PENDING_PAYMENT, Status.PENDING_PAYMENT))

	def test_admin_state_cannot_skip_the_technician(self):
		"""Re-routing Exception → Assigned through a new button still needs a technician."""
		ensure_action("Quick Assign")
		workflow = frappe.get_doc("Workflow", WORKFLOW)
		workflow.append(
			"transitions",
			{
				"state": Status.EXCEPTION,
				"action": "Quick Assign",
				"next_state": Status.ASSIGNED,
				"allowed": "HS Dispatcher",
			},
		)
		workflow.save()
		doc = advance(make_booking(item=self.item), Status.EXCEPTION)
		with self.set_user(self.dispatcher):
			self.assertRaises(TransitionInvariantError, apply_workflow, doc, "Quick Assign")
		doc.reload()
		self.assertEqual(doc.status, Status.EXCEPTION)
