# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Every way of cancelling a booking ends in the same state (booking/cancellation.py): the customer's
API, the Desk dialog, Desk's bare Workflow action (a list's bulk action) and the unpaid-booking job."""

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase, change_settings

from home_service.api.customer import bookings as customer_api
from home_service.booking import desk, policy
from home_service.booking.cancellation import FeeChangedError
from home_service.booking.jobs import release_hold
from home_service.booking.lifecycle import InvalidTransitionError, Status
from home_service.tests.billing_fixtures import pay_with_wechat
from home_service.tests.factories import make_booking, make_customer, make_technician, make_user, uid
from home_service.tests.providers import fake_wechatpay
from home_service.tests.technician_fixtures import assigned_booking, offer_booking, technician_with_user

REASON = "客户临时有事"


class TestOneCancellation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.service = make_user(["HS Customer Service"])
		cls.dispatcher = make_user(["HS Dispatcher"])

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("cancellation_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="cancellation_test")

	def offered(self, fake):
		"""A booking paid through the WeChat Pay fake and offered to two technicians; (doc, user)."""
		customer = make_customer(with_user=True, wechat_openid="o" + uid())
		doc = make_booking(customer=customer)
		pay_with_wechat(fake, doc)
		for _i in range(2):
			offer_booking(doc, make_technician())
		self.assertEqual(self.offer_statuses(doc.name), ["Pending", "Pending"])
		return doc, frappe.db.get_value("HS Customer", customer, "user")

	@staticmethod
	def offer_statuses(booking: str) -> list[str]:
		return sorted(frappe.get_all("HS Dispatch Offer", {"booking": booking}, pluck="status"))

	@staticmethod
	def cancel_event(booking: str):
		return frappe.get_all(
			"HS Booking Event",
			filters={"booking": booking, "event_type": "Status Change", "to_status": Status.CANCELLED},
			fields=["from_status", "to_status", "to_state", "note", "actor", "actor_role"],
		)[0]

	def outcome(self, name: str) -> dict:
		"""What a cancellation leaves behind, whichever way it came."""
		doc = frappe.get_doc("HS Booking", name)
		event = self.cancel_event(name)
		refunds = frappe.get_all(
			"HS Refund", filters={"booking": name}, fields=["kind", "amount_fen", "reason"]
		)
		self.assertTrue(doc.cancel_reason)
		self.assertEqual(event.note, doc.cancel_reason)  # the timeline says why
		self.assertTrue(all(r.reason == doc.cancel_reason for r in refunds))
		return {
			"state": (doc.status, doc.workflow_state, doc.held_technician),
			"offers": self.offer_statuses(name),
			"fee": doc.cancellation_fee,
			"event": (event.from_status, event.to_status, event.to_state),
			"refunds": [(r.kind, r.amount_fen) for r in refunds],
		}

	def test_customer_desk_dialog_and_workflow_action_leave_the_same_state(self):
		with fake_wechatpay() as fake:
			outcomes, actors = {}, {}
			doc, customer_user = self.offered(fake)
			with self.set_user(customer_user):
				customer_api.cancel_booking(booking=doc.name, reason=REASON)
			outcomes["customer API"] = self.outcome(doc.name)
			actors[(customer_user, "HS Customer")] = doc.name

			doc, _user = self.offered(fake)
			with self.set_user(self.service):
				preview = desk.cancellation_preview(doc.name, "Cancel")
				desk.cancel_booking(doc.name, "Cancel", REASON, fee=preview["fee"])
			outcomes["Desk dialog"] = self.outcome(doc.name)
			actors[(self.service, "HS Customer Service")] = doc.name

			doc, _user = self.offered(fake)
			with self.set_user(self.service):  # Actions → Cancel without the dialog, or a bulk action
				apply_workflow(frappe.get_doc("HS Booking", doc.name), "Cancel")
			outcomes["Desk workflow action"] = self.outcome(doc.name)

		paid_fen = int(doc.paid_amount * 100)
		expected = {
			"state": (Status.CANCELLED, Status.CANCELLED, None),
			"offers": ["Withdrawn", "Withdrawn"],
			"fee": 0,
			"event": (Status.OFFERED, Status.CANCELLED, Status.CANCELLED),
			"refunds": [("Cancellation", paid_fen)],
		}
		for path, outcome in outcomes.items():
			self.assertEqual(outcome, expected, path)
		self.assertEqual((preview["fee"], preview["refund"]), ("0.00", f"{doc.paid_amount:.2f}"))
		for (user, role), booking in actors.items():  # the timeline records who cancelled
			event = self.cancel_event(booking)
			self.assertEqual((event.actor, event.actor_role, event.note), (user, role, REASON))

	def test_the_dialog_shows_the_late_fee_and_refuses_a_fee_that_changed(self):
		with (
			fake_wechatpay() as fake,
			change_settings("HS Settings", free_cancel_hours=72, late_cancel_fee_percent=20),
		):
			doc, _user = self.offered(fake)
			with self.set_user(self.service):
				preview = desk.cancellation_preview(doc.name, "Cancel")
				fee = round(doc.grand_total * 0.2, 2)
				self.assertEqual((preview["allowed"], preview["fee"]), (True, f"{fee:.2f}"))
				self.assertEqual(preview["refund"], f"{doc.paid_amount - fee:.2f}")
				# the dialog showed no fee (the free period ended while it was open): nothing changes
				self.assertRaises(
					FeeChangedError, desk.cancel_booking, doc.name, "Cancel", REASON, fee="0.00"
				)
				self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.OFFERED)
				self.assertEqual(self.offer_statuses(doc.name), ["Pending", "Pending"])
				desk.cancel_booking(doc.name, "Cancel", REASON, fee=preview["fee"])
			outcome = self.outcome(doc.name)
		self.assertEqual(outcome["fee"], fee)
		self.assertEqual(outcome["refunds"], [("Cancellation", int(round((doc.paid_amount - fee) * 100)))])
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "cancel_reason"), REASON)

	def test_desk_cancel_follows_the_workflow_roles_and_actions(self):
		with fake_wechatpay() as fake:
			doc, _user = self.offered(fake)
			with self.set_user(self.service):
				self.assertRaises(InvalidTransitionError, desk.cancellation_preview, doc.name, "Release")
				self.assertRaises(InvalidTransitionError, desk.cancel_booking, doc.name, "Release", REASON)
			with self.set_user(self.dispatcher):  # the shipped Workflow gives Cancel to customer service
				self.assertRaises(WorkflowTransitionError, desk.cancel_booking, doc.name, "Cancel", REASON)
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.OFFERED)
		self.assertEqual(self.offer_statuses(doc.name), ["Pending", "Pending"])

	def test_staff_may_cancel_an_exception_the_customer_may_not(self):
		with fake_wechatpay() as fake:
			doc, customer_user = self.offered(fake)
			with self.set_user(self.service):
				apply_workflow(frappe.get_doc("HS Booking", doc.name), "Report Exception")
			with self.set_user(customer_user):
				self.assertRaises(
					policy.PolicyError, customer_api.cancel_booking, booking=doc.name, reason=REASON
				)
			with self.set_user(self.service):
				self.assertTrue(desk.cancellation_preview(doc.name, "Cancel")["allowed"])
				desk.cancel_booking(doc.name, "Cancel", REASON, fee="0.00")
		outcome = self.outcome(doc.name)
		self.assertEqual(outcome["state"], (Status.CANCELLED, Status.CANCELLED, None))
		# the offers were withdrawn when the exception was reported (the booking left Offered)
		self.assertEqual(outcome["offers"], ["Withdrawn", "Withdrawn"])

	def test_the_technician_who_had_the_job_hears_of_it_from_desk_too(self):
		technician, user = technician_with_user()
		doc = assigned_booking(technician)
		with self.set_user(self.service):
			desk.cancel_booking(doc.name, "Cancel", REASON)
		body = frappe.db.get_value("HS Message", {"recipient": user, "booking": doc.name}, "body")
		self.assertIn(REASON, body or "")

	def test_the_unpaid_job_and_desk_leave_the_same_state(self):
		outcomes = {}
		for path in ("job", "Desk dialog"):
			doc = make_booking()
			self.assertTrue(doc.held_technician)
			if path == "job":
				release_hold(doc.name)
			else:
				with self.set_user(self.service):
					desk.cancel_booking(doc.name, "Cancel", REASON)
			outcome = self.outcome(doc.name)
			self.assertEqual(outcome["state"], (Status.CANCELLED, Status.CANCELLED, None))
			outcomes[path] = outcome
		self.assertEqual(outcomes["job"], outcomes["Desk dialog"])
		self.assertEqual(
			frappe.get_all("HS Booking Event", {"booking": doc.name, "to_status": "Cancelled"}, pluck="note"),
			[REASON],
		)
