# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""A booking that stops being offered has no offer left Pending, whichever path moved it
(dispatch/withdraw_offers.py): a dispatcher's manual assignment, every Workflow action the site's
Workflow allows out of Offered (as a Desk user with that action's role), a script's transition;
accepting an offer still leaves exactly one Accepted and the others Withdrawn."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from home_service.api.technician import offers as offers_api
from home_service.booking.lifecycle import Status
from home_service.booking.workflow import active_workflow, category_of
from home_service.dispatch import manual
from home_service.dispatch.engine import OfferClosedError, accept_offer, dispatch_booking
from home_service.tests.factories import make_booking, make_user, mark_paid, uid
from home_service.tests.scheduling_fixtures import Corner, apply_settings, at, day_after, forget_settings

# the shipped Workflow's ways out of Offered; an administrator's added ones are driven too
SHIPPED_EXITS = {"Assign", "Release", "Cancel", "Report Exception"}


class TestLeavingOfferedWithdrawsOffers(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("withdraw_offers_case")
		apply_settings()
		frappe.db.set_value("HS Dispatch Rule", {"enabled": 1}, "enabled", 0)
		self.corner = Corner(radius_km=30)
		self.near = self.corner.technician(lat_offset=0.01, with_user=True)
		self.middle = self.corner.technician(lat_offset=0.05, with_user=True)
		self.far = self.corner.technician(lat_offset=0.1)
		frappe.get_doc(
			{
				"doctype": "HS Dispatch Rule",
				"rule_name": uid("Broadcast "),
				"priority": 100,
				"strategy": "Broadcast",
				"broadcast_size": 2,
				"offer_timeout_seconds": 600,
				# the nearest first, every time (offers received and accepted would change the order)
				"weight_distance": 1,
				"weight_rating": 0,
				"weight_load": 0,
				"weight_acceptance": 0,
				"weight_previous": 0,
			}
		).insert()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="withdraw_offers_case")
		forget_settings()

	def offered(self, days: int = 2):
		"""A paid booking broadcast to the near and middle technicians (both offers Pending), at 10:00
		`days` from today (one day each: the technicians' holds and daily cap stay out of it)."""
		doc = make_booking(
			customer=self.corner.customer,
			address=self.corner.address,
			items=self.corner.items(),
			window_start=at(day_after(days), 10),
			with_capacity=False,
		)
		mark_paid(doc)
		doc.transition_to(Status.PENDING_DISPATCH)
		dispatch_booking(doc.name)
		doc.reload()
		self.assertEqual(doc.status, Status.OFFERED)
		self.assertEqual(self.offers(doc.name), {self.near: "Pending", self.middle: "Pending"})
		return doc

	@staticmethod
	def offers(booking: str) -> dict[str, str]:
		return dict(
			frappe.get_all(
				"HS Dispatch Offer",
				filters={"booking": booking},
				fields=["technician", "status"],
				as_list=True,
			)
		)

	def listed_to(self, technician: str) -> list[str]:
		"""The bookings the technician's app lists as offered to them."""
		with self.set_user(frappe.db.get_value("HS Technician", technician, "user")):
			return [row["booking"] for row in offers_api.list_offers()["items"]]

	def assert_withdrawn(self, doc, status: str) -> None:
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), status)
		self.assertEqual(self.offers(doc.name), {self.near: "Withdrawn", self.middle: "Withdrawn"})
		offer = frappe.db.get_value("HS Dispatch Offer", {"booking": doc.name, "technician": self.near})
		self.assertTrue(frappe.db.get_value("HS Dispatch Offer", offer, "responded_on"))
		self.assertNotIn(doc.name, self.listed_to(self.near))
		self.assertRaises(OfferClosedError, accept_offer, offer, self.near)

	def test_a_dispatcher_s_manual_assignment_withdraws_the_offers(self):
		doc = self.offered()
		self.assertIn(doc.name, self.listed_to(self.near))
		with self.set_user(make_user(["HS Dispatcher"])):
			manual.assign(doc.name, self.far)
		self.assert_withdrawn(doc, Status.ASSIGNED)
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "technician"), self.far)

	def test_a_dispatcher_may_give_it_to_one_of_the_offered_technicians(self):
		doc = self.offered()
		with self.set_user(make_user(["HS Dispatcher"])):
			manual.assign(doc.name, self.middle)
		# the middle technician got it from the dispatcher, not by accepting: no offer is Accepted
		self.assertEqual(self.offers(doc.name), {self.near: "Withdrawn", self.middle: "Withdrawn"})
		self.assertEqual(frappe.db.get_value("HS Technician", self.middle, "offers_accepted"), 0)
		self.assertRaises(
			OfferClosedError,
			accept_offer,
			frappe.db.get_value("HS Dispatch Offer", {"booking": doc.name, "technician": self.middle}),
			self.middle,
		)

	def test_every_workflow_action_out_of_offered_withdraws_the_offers(self):
		workflow = active_workflow()
		exits = [t for t in workflow.transitions if t.state == Status.OFFERED]
		self.assertLessEqual(SHIPPED_EXITS, {t.action for t in exits})
		for days, transition in enumerate(exits, start=2):
			with self.subTest(action=transition.action):
				doc = self.offered(days)
				if transition.condition and "technician" in transition.condition:
					# Desk: the dispatcher picks the technician in the form, then clicks the action
					frappe.db.set_value("HS Booking", doc.name, "technician", self.far)
				with self.set_user(make_user([transition.allowed])):
					apply_workflow(frappe.get_doc("HS Booking", doc.name), transition.action)
				self.assert_withdrawn(doc, category_of(workflow, transition.next_state))

	def test_released_to_dispatch_it_goes_on_to_the_next_technician(self):
		doc = self.offered()
		with self.set_user(make_user(["HS Dispatcher"])):
			apply_workflow(frappe.get_doc("HS Booking", doc.name), "Release")
		self.assert_withdrawn(doc, Status.PENDING_DISPATCH)
		dispatch_booking(doc.name)  # the job Release enqueues: no offer left pending holds it back
		self.assertEqual(
			self.offers(doc.name),
			{self.near: "Withdrawn", self.middle: "Withdrawn", self.far: "Pending"},
		)

	def test_an_exception_reported_by_code_withdraws_the_offers(self):
		doc = self.offered()
		doc.transition_to(Status.EXCEPTION, note="客户电话打不通", actor_role="System")
		self.assert_withdrawn(doc, Status.EXCEPTION)

	def test_accepting_leaves_one_accepted_offer_and_withdraws_the_others(self):
		doc = self.offered()
		offer = frappe.db.get_value("HS Dispatch Offer", {"booking": doc.name, "technician": self.middle})
		accepted = accept_offer(offer, self.middle)
		self.assertEqual((accepted.status, accepted.technician), (Status.ASSIGNED, self.middle))
		self.assertEqual(self.offers(doc.name), {self.near: "Withdrawn", self.middle: "Accepted"})
		self.assertEqual(
			frappe.db.get_value("HS Technician", self.middle, ["offers_accepted"]),
			1,
		)
		self.assertNotIn(doc.name, self.listed_to(self.near))
		other = frappe.db.get_value("HS Dispatch Offer", {"booking": doc.name, "technician": self.near})
		self.assertRaises(OfferClosedError, accept_offer, other, self.near)
		self.assertRaises(OfferClosedError, accept_offer, offer, self.middle)  # a second tap
		self.assertEqual(self.offers(doc.name), {self.near: "Withdrawn", self.middle: "Accepted"})
