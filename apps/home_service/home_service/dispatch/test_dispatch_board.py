# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
import frappe.realtime
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.dispatch import manual
from home_service.dispatch.realtime import BOARD_EVENT
from home_service.scheduling.holds import NotEligibleError, TechnicianBusyError
from home_service.tests.factories import make_booking, make_customer, make_user, mark_paid
from home_service.tests.scheduling_fixtures import Corner, apply_settings, at, day_after, forget_settings

BOARD = "home_service.dispatch.page.hs_dispatch_board.hs_dispatch_board"


def board_events(booking: str) -> list[dict]:
	"""Realtime messages queued for after the commit (frappe.publish_realtime(after_commit=True))."""
	return [
		message
		for event, message, _room in getattr(frappe.local, "_realtime_log", [])
		if event == BOARD_EVENT and message["booking"] == booking
	]


class TestDispatchBoard(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.corner = Corner()
		cls.tech_a = cls.corner.technician()
		cls.tech_b = cls.corner.technician(lat_offset=0.01)
		cls.day = day_after(3)
		cls.dispatcher = make_user(roles=["HS Dispatcher"])
		customer = make_customer(with_user=True)
		cls.customer_user = frappe.db.get_value("HS Customer", customer, "user")

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("dispatch_board_case")
		apply_settings()
		frappe.realtime.clear_realtime_log()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="dispatch_board_case")
		frappe.realtime.clear_realtime_log()
		forget_settings()

	def unpaid(self, hour: int):
		"""A booking waiting for payment (on no board yet)."""
		return make_booking(
			customer=self.corner.customer,
			address=self.corner.address,
			items=self.corner.items(),
			window_start=at(self.day, hour),
			with_capacity=False,
		)

	def waiting(self, hour: int = 10):
		"""A paid booking in the dispatcher queue (no automatic dispatch)."""
		doc = self.unpaid(hour)
		mark_paid(doc)
		doc.needs_manual_dispatch = 1
		return doc.transition_to(Status.PENDING_DISPATCH, actor_role="System")

	def test_dispatcher_assigns_from_the_board(self):
		doc = self.waiting()
		offer = frappe.get_doc(
			{
				"doctype": "HS Dispatch Offer",
				"booking": doc.name,
				"technician": self.tech_b,
				"status": "Pending",
				"round": 1,
				"strategy": "Manual",
				"offered_on": frappe.utils.now_datetime(),
				"expires_on": frappe.utils.add_to_date(None, minutes=10),
			}
		).insert(ignore_permissions=True)
		doc.transition_to(Status.OFFERED, actor_role="System")
		frappe.realtime.clear_realtime_log()

		with self.set_user(self.dispatcher):
			result = frappe.call(f"{BOARD}.assign", booking=doc.name, technician=self.tech_a)

		self.assertEqual(result["status"], Status.ASSIGNED)
		self.assertEqual(result["technician"], self.tech_a)
		doc.reload()
		self.assertEqual(
			(doc.status, doc.technician, doc.needs_manual_dispatch), (Status.ASSIGNED, self.tech_a, 0)
		)
		self.assertIsNone(doc.held_technician)
		self.assertEqual(frappe.db.get_value("HS Dispatch Offer", offer.name, "status"), "Withdrawn")
		event = frappe.get_all(
			"HS Booking Event",
			filters={"booking": doc.name, "to_status": Status.ASSIGNED},
			fields=["actor", "actor_role", "note"],
		)
		self.assertEqual(event[0].actor, self.dispatcher)
		self.assertEqual(event[0].actor_role, "HS Dispatcher")
		# the board hears about it once the change is committed
		[message] = board_events(doc.name)
		self.assertEqual(message["technician"], self.tech_a)
		self.assertEqual(message["service_area"], self.corner.area)
		self.assertEqual(message["status"], Status.ASSIGNED)
		self.assertEqual(message["date"], str(self.day))

	def test_busy_technician_is_a_409_and_changes_nothing(self):
		taken = self.waiting(10)
		manual.assign(taken.name, self.tech_a)
		other = self.waiting(10)
		before = other.as_dict()
		frappe.realtime.clear_realtime_log()

		with self.set_user(self.dispatcher), self.assertRaises(TechnicianBusyError) as raised:
			frappe.call(f"{BOARD}.assign", booking=other.name, technician=self.tech_a)

		self.assertEqual(raised.exception.http_status_code, 409)
		self.assertIn("already has a job", str(raised.exception))
		other.reload()
		self.assertEqual(
			(other.status, other.technician, other.needs_manual_dispatch, other.held_technician),
			(before.status, before.technician, before.needs_manual_dispatch, before.held_technician),
		)
		self.assertEqual(board_events(other.name), [])

	def test_reassign_moves_the_job_and_notes_it(self):
		doc = self.waiting(14)
		manual.assign(doc.name, self.tech_a)
		frappe.realtime.clear_realtime_log()

		doc = manual.assign(doc.name, self.tech_b)

		self.assertEqual((doc.status, doc.technician), (Status.ASSIGNED, self.tech_b))
		notes = frappe.get_all(
			"HS Booking Event", filters={"booking": doc.name, "event_type": "Note"}, pluck="note"
		)
		self.assertEqual(len(notes), 1)
		[message] = board_events(doc.name)
		self.assertEqual((message["technician"], message["previous_technician"]), (self.tech_b, self.tech_a))
		# the same click again changes nothing and publishes nothing
		frappe.realtime.clear_realtime_log()
		manual.assign(doc.name, self.tech_b)
		self.assertEqual(board_events(doc.name), [])

	def test_only_waiting_or_assigned_bookings_can_be_assigned(self):
		unpaid = self.unpaid(16)
		with self.assertRaises(manual.NotAssignableError) as raised:
			manual.assign(unpaid.name, self.tech_a)
		self.assertEqual(raised.exception.http_status_code, 409)
		self.assertEqual(frappe.db.get_value("HS Booking", unpaid.name, "status"), Status.PENDING_PAYMENT)

	def assert_refused(self, technician: str, reason: str) -> None:
		"""Assigning `technician` from the board is a 409 that names `reason` and changes nothing."""
		doc = self.waiting(12)
		before = doc.as_dict()
		frappe.realtime.clear_realtime_log()
		with self.set_user(self.dispatcher), self.assertRaises(NotEligibleError) as raised:
			frappe.call(f"{BOARD}.assign", booking=doc.name, technician=technician)
		self.assertEqual(raised.exception.http_status_code, 409)
		self.assertIn(reason, str(raised.exception))
		doc.reload()
		self.assertEqual(
			(doc.status, doc.technician, doc.needs_manual_dispatch, str(doc.modified)),
			(before.status, before.technician, before.needs_manual_dispatch, str(before.modified)),
		)
		self.assertFalse(frappe.db.exists("HS Booking Event", {"booking": doc.name, "to_status": "Assigned"}))
		self.assertEqual(board_events(doc.name), [])

	def test_unapproved_technician_is_refused(self):
		self.assert_refused(self.corner.technician(review_status="Suspended"), "cannot take jobs")

	def test_technician_without_the_skill_is_refused(self):
		self.assert_refused(self.corner.technician(skills=[]), "does not have the skill")

	def test_technician_of_another_area_is_refused(self):
		self.assert_refused(Corner().technician(skills=[self.corner.skill]), "does not serve")

	def test_technician_whose_certificate_expires_first_is_refused(self):
		technician = self.corner.technician()
		certificate = frappe.get_doc(
			{
				"doctype": "HS Qualification",
				"technician": technician,
				"qualification_type": "Trade Certificate",
				"certificate_no": frappe.generate_hash(length=8),
				"expiry_date": day_after(1),  # the booking is on day 3
				"review_state": "Approved",
			}
		).insert()
		self.assert_refused(technician, "certificate expired")
		certificate.expiry_date = day_after(30)  # renewed: now they may
		certificate.save()
		doc = manual.assign(self.waiting(14).name, technician)
		self.assertEqual((doc.status, doc.technician), (Status.ASSIGNED, technician))

	def test_the_booking_form_follows_the_same_rules(self):
		from frappe.model.workflow import apply_workflow

		doc = frappe.get_doc("HS Booking", self.waiting(16).name)  # as a Desk request loads it
		with self.set_user(self.dispatcher):
			doc.technician = self.corner.technician(skills=[])
			doc.save()
			self.assertRaises(NotEligibleError, apply_workflow, doc, "Assign")
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.PENDING_DISPATCH)

	def test_customers_cannot_use_the_board(self):
		doc = self.waiting(11)
		with self.set_user(self.customer_user):
			with self.assertRaises(frappe.PermissionError):
				frappe.call(f"{BOARD}.assign", booking=doc.name, technician=self.tech_a)
			with self.assertRaises(frappe.PermissionError):
				frappe.call(f"{BOARD}.get_board", date=str(self.day), service_area=self.corner.area)
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.PENDING_DISPATCH)

	def test_assign_is_post_only(self):
		from frappe.handler import is_valid_http_method

		frappe.local.request = frappe._dict(method="GET")
		try:
			with self.assertRaises(frappe.PermissionError):
				is_valid_http_method(frappe.get_attr(f"{BOARD}.assign"))
		finally:
			del frappe.local.request

	def test_board_lists_rows_blocks_and_the_queue(self):
		assigned = self.waiting(9)
		manual.assign(assigned.name, self.tech_b)
		queued = self.waiting(15)

		with self.set_user(self.dispatcher):
			board = frappe.call(f"{BOARD}.get_board", date=str(self.day), service_area=self.corner.area)

		self.assertEqual(board["service_area"], self.corner.area)
		self.assertEqual({t.name for t in board["technicians"]}, {self.tech_a, self.tech_b})
		self.assertEqual([b.name for b in board["bookings"]], [assigned.name])
		self.assertEqual(board["bookings"][0].technician, self.tech_b)
		self.assertEqual([b.name for b in board["unassigned"]], [queued.name])
		self.assertEqual(board["unassigned"][0].needs_manual_dispatch, 1)
		# another day is empty
		other_day = frappe.call(f"{BOARD}.get_board", date=str(day_after(4)), service_area=self.corner.area)
		self.assertEqual((other_day["bookings"], other_day["unassigned"]), ([], []))

	def test_board_opens_on_the_users_own_area_else_every_area(self):
		queued = self.waiting(15)
		with self.set_user(self.dispatcher):
			board = frappe.call(f"{BOARD}.get_board", date=str(self.day))
		self.assertIsNone(board["service_area"])  # tied to no area: every area, not the first by name
		self.assertIn(queued.name, [b.name for b in board["unassigned"]])
		self.assertLessEqual({self.tech_a, self.tech_b}, {t.name for t in board["technicians"]})

		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": self.dispatcher,
				"allow": "HS Service Area",
				"for_value": self.corner.area,
				"apply_to_all_doctypes": 0,
				"applicable_for": "HS Service Area",
			}
		).insert(ignore_permissions=True)
		with self.set_user(self.dispatcher):
			board = frappe.call(f"{BOARD}.get_board", date=str(self.day))
		self.assertEqual(board["service_area"], self.corner.area)
		self.assertEqual({t.name for t in board["technicians"]}, {self.tech_a, self.tech_b})

	def test_a_booking_reaches_the_board_when_paid_not_when_made(self):
		doc = self.unpaid(15)
		self.assertEqual(board_events(doc.name), [])  # waiting for payment: on no board
		mark_paid(doc)
		doc.needs_manual_dispatch = 1
		doc.transition_to(Status.PENDING_DISPATCH, actor_role="System")
		self.assertEqual([e["status"] for e in board_events(doc.name)], [Status.PENDING_DISPATCH])
		frappe.realtime.clear_realtime_log()
		doc.transition_to(Status.CANCELLED, actor_role="System")  # leaves the board: it must go
		self.assertEqual([e["status"] for e in board_events(doc.name)], [Status.CANCELLED])

	def test_saves_that_do_not_move_a_booking_publish_nothing(self):
		doc = self.waiting(13)
		frappe.realtime.clear_realtime_log()
		doc.internal_note = "call before arriving"
		doc.save(ignore_permissions=True)
		self.assertEqual(board_events(doc.name), [])
