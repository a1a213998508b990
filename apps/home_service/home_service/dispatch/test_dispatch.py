# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import json
from unittest.mock import patch

import frappe
import frappe.realtime
from frappe.cache_manager import clear_doctype_map
from frappe.realtime import get_user_room
from frappe.tests.utils import FrappeTestCase, patch_hooks
from frappe.utils import add_to_date, now_datetime

from home_service.booking.lifecycle import Status
from home_service.dispatch import engine
from home_service.dispatch.engine import OfferClosedError, accept_offer, dispatch_booking, reject_offer
from home_service.dispatch.queue import ALERT_EVENT
from home_service.dispatch.strategies import DispatchStrategy
from home_service.scheduling.holds import TechnicianBusyError
from home_service.tests.factories import (
	make_address,
	make_booking,
	make_category,
	make_customer,
	make_user,
	mark_paid,
	uid,
)
from home_service.tests.scheduling_fixtures import Corner, apply_settings, at, day_after, forget_settings


class LowestScored(DispatchStrategy):
	"""A plugin's strategy that no built-in one would follow: offer to the lowest-scored candidate."""

	def next_round(self, booking):
		ranked = engine.ranked_candidates(booking, self.rule)
		engine.make_offers(booking, self.rule, ranked[-1:], ranked)


def rule(**kw) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "HS Dispatch Rule",
				"rule_name": uid("Rule "),
				"priority": 100,
				"offer_timeout_seconds": 60,
				**kw,
			}
		)
		.insert()
		.name
	)


HISTORY = "home_service.dispatch.desk.dispatch_history"
ASSIGNMENT_RULES = "frappe.automation.doctype.assignment_rule.assignment_rule"
NO_WEIGHTS = {
	"weight_distance": 0,
	"weight_rating": 0,
	"weight_load": 0,
	"weight_acceptance": 0,
	"weight_previous": 0,
}


def ranking(booking, **settings) -> list[str]:
	"""The candidates of `booking`, best first, under a new rule with these settings and weights."""
	name = rule(strategy="Auto Assign", **{**NO_WEIGHTS, **settings})
	return [s.technician for s in engine.ranked_candidates(booking, engine.get_rule(name))]


def alerts(booking: str) -> list[dict]:
	"""Dispatcher alerts about `booking` queued for after the commit, with the room they go to."""
	return [
		{**message, "room": room}
		for event, message, room in getattr(frappe.local, "_realtime_log", [])
		if event == ALERT_EVENT and message["booking"] == booking
	]


def offers(booking: str, status: str | None = None) -> list[frappe._dict]:
	filters = {"booking": booking, **({"status": status} if status else {})}
	return frappe.get_all(
		"HS Dispatch Offer",
		filters=filters,
		fields=["name", "technician", "status", "round"],
		order_by="creation asc",
	)


def expire(booking: str) -> None:
	frappe.db.set_value(
		"HS Dispatch Offer",
		{"booking": booking, "status": "Pending"},
		"expires_on",
		add_to_date(now_datetime(), seconds=-1),
	)


class TestDispatch(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("dispatch_case")
		frappe.realtime.clear_realtime_log()
		apply_settings()
		frappe.db.set_value("HS Dispatch Rule", {"enabled": 1}, "enabled", 0)
		self.corner = Corner(radius_km=30)
		# near, middle, far from the customer
		self.near = self.corner.technician(lat_offset=0.01)
		self.middle = self.corner.technician(lat_offset=0.05)
		self.far = self.corner.technician(lat_offset=0.1)
		self.day = day_after(2)

	def tearDown(self):
		frappe.db.rollback(save_point="dispatch_case")
		frappe.realtime.clear_realtime_log()
		forget_settings()
		# the queue rule may have been changed inside the rolled-back savepoint: drop stale caches
		frappe.clear_document_cache("Assignment Rule", "HS Dispatcher Queue")
		clear_doctype_map("Assignment Rule", "HS Booking")

	def paid_booking(self, hour: int = 10, customer: str | None = None):
		doc = make_booking(
			customer=customer or self.corner.customer,
			address=self.corner.address,
			items=self.corner.items(),
			window_start=at(self.day, hour),
			with_capacity=False,
		)
		mark_paid(doc)
		doc.transition_to(Status.PENDING_DISPATCH)
		return doc

	def reload(self, doc):
		doc.reload()
		return doc

	def test_auto_assign_offers_the_best_candidate_and_explains_why(self):
		rule(strategy="Auto Assign")
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		doc = self.reload(doc)
		self.assertEqual(doc.status, Status.OFFERED)
		self.assertEqual([o.technician for o in offers(doc.name)], [self.near])
		decision = frappe.get_last_doc("HS Dispatch Decision", filters={"booking": doc.name})
		candidates = json.loads(decision.candidates)
		self.assertEqual([c["technician"] for c in candidates], [self.near, self.middle, self.far])
		self.assertTrue(candidates[0]["score"] > candidates[1]["score"] > candidates[2]["score"])
		self.assertEqual(
			set(candidates[0]["factors"]), {"distance", "rating", "load", "acceptance", "previous"}
		)
		dispatch_booking(doc.name)  # idempotent
		self.assertEqual(len(offers(doc.name)), 1)

	def test_accept_assigns_and_counts(self):
		rule(strategy="Auto Assign")
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		accepted = accept_offer(offers(doc.name)[0].name, self.near)
		self.assertEqual(
			(accepted.status, accepted.technician, accepted.held_technician),
			(Status.ASSIGNED, self.near, None),
		)
		self.assertEqual(offers(doc.name)[0].status, "Accepted")
		self.assertEqual(
			frappe.db.get_value("HS Technician", self.near, ["offers_received", "offers_accepted"]), (1, 1)
		)

	def test_rejection_needs_a_reason_and_moves_to_the_next(self):
		rule(strategy="Auto Assign")
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		first = offers(doc.name)[0]
		self.assertRaises(frappe.ValidationError, reject_offer, first.name, self.near, "  ")
		self.assertRaises(frappe.PermissionError, reject_offer, first.name, self.middle, "not mine")
		reject_offer(first.name, self.near, "车坏了")
		rows = offers(doc.name)
		self.assertEqual(
			[(o.technician, o.status, o.round) for o in rows],
			[(self.near, "Rejected", 1), (self.middle, "Pending", 2)],
		)
		self.assertEqual(frappe.db.get_value("HS Dispatch Offer", first.name, "reject_reason"), "车坏了")

	def test_timeouts_move_on_and_the_job_is_idempotent(self):
		# offers other runs left pending on a shared site are not this test's (rolled back afterwards)
		frappe.db.set_value("HS Dispatch Offer", {"status": "Pending"}, "status", "Withdrawn")
		rule(strategy="Auto Assign", max_rounds=5)
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		expire(doc.name)
		self.assertEqual(engine.expire_due_offers(), 1)
		self.assertEqual(engine.expire_due_offers(), 0)
		self.assertEqual(
			[(o.technician, o.status) for o in offers(doc.name)],
			[(self.near, "Expired"), (self.middle, "Pending")],
		)
		self.assertRaises(OfferClosedError, accept_offer, offers(doc.name)[0].name, self.near)

	def test_nobody_accepts_so_dispatchers_get_it(self):
		dispatcher = make_user(["HS Dispatcher"])
		frappe.db.delete("Assignment Rule User", {"parent": "HS Dispatcher Queue"})
		rule(strategy="Auto Assign", max_rounds=2)
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		for _round in range(2):
			expire(doc.name)
			engine.expire_due_offers()
		doc = self.reload(doc)
		self.assertEqual((doc.status, doc.needs_manual_dispatch), (Status.PENDING_DISPATCH, 1))
		self.assertEqual(len(offers(doc.name)), 2)
		todo = frappe.db.get_value(
			"ToDo",
			{"reference_type": "HS Booking", "reference_name": doc.name, "status": "Open"},
			"allocated_to",
		)
		self.assertTrue(todo)
		self.assertIn("HS Dispatcher", frappe.get_roles(todo))
		self.assertIn(
			dispatcher,
			frappe.get_all("Assignment Rule User", {"parent": "HS Dispatcher Queue"}, pluck="user"),
		)
		# every dispatcher is alerted in their own room, once the queueing is committed
		[alert] = [m for m in alerts(doc.name) if m["room"] == get_user_room(dispatcher)]
		self.assertIn("Nobody accepted after 2 rounds", alert["message"])
		decision = frappe.get_last_doc("HS Dispatch Decision", filters={"booking": doc.name})
		self.assertEqual(decision.outcome, "Nobody accepted after 2 rounds")
		engine.redrive_stalled()  # queued bookings are the dispatchers' now, not the robot's
		self.assertEqual(len(offers(doc.name)), 2)

	def test_without_a_queue_rule_dispatchers_get_a_notification(self):
		dispatcher = make_user(["HS Dispatcher"])
		rule(strategy="Manual")
		doc = self.paid_booking()
		# no Assignment Rule hands it to anyone (the administrator switched the queue rule off); the
		# rule list is cached in Redis, which other processes on a shared test site refill
		with patch(f"{ASSIGNMENT_RULES}.get_doctype_map", return_value=[]):
			dispatch_booking(doc.name)
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_type": "HS Booking", "reference_name": doc.name})
		)
		subjects = frappe.get_all(
			"Notification Log",
			filters={
				"for_user": dispatcher,
				"document_type": "HS Booking",
				"document_name": doc.name,
				"type": "Alert",
			},
			pluck="subject",
		)
		expected = f"Booking {doc.name} needs a dispatcher: Manual dispatch rule"
		self.assertEqual(subjects.count(expected), 1, subjects)  # besides the "paid" Notification
		self.assertTrue([m for m in alerts(doc.name) if m["room"] == get_user_room(dispatcher)])

	def test_no_candidate_goes_straight_to_the_queue(self):
		make_user(["HS Dispatcher"])
		rule(strategy="Auto Assign")
		doc = self.paid_booking()
		for name in (self.near, self.middle, self.far):
			frappe.db.set_value("HS Technician", name, "review_status", "Suspended")
		dispatch_booking(doc.name)
		self.assertEqual(self.reload(doc).needs_manual_dispatch, 1)

	def test_broadcast_first_accept_wins_atomically(self):
		rule(strategy="Broadcast", broadcast_size=2)
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		rows = {o.technician: o.name for o in offers(doc.name)}
		self.assertEqual(set(rows), {self.near, self.middle})
		accept_offer(rows[self.middle], self.middle)
		self.assertEqual(frappe.db.get_value("HS Dispatch Offer", rows[self.near], "status"), "Withdrawn")
		self.assertRaises(OfferClosedError, accept_offer, rows[self.near], self.near)
		self.assertEqual(self.reload(doc).technician, self.middle)

	def test_broadcast_round_closes_when_all_reject(self):
		rule(strategy="Broadcast", broadcast_size=2, max_rounds=3)
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		first_round = offers(doc.name)
		reject_offer(first_round[0].name, first_round[0].technician, "忙")
		self.assertEqual(len(offers(doc.name, "Pending")), 1)  # the round is still open
		reject_offer(first_round[1].name, first_round[1].technician, "远")
		self.assertEqual([o.technician for o in offers(doc.name, "Pending")], [self.far])

	def test_manual_rule_queues_immediately(self):
		make_user(["HS Dispatcher"])
		rule(strategy="Manual")
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		doc = self.reload(doc)
		self.assertEqual(
			(doc.status, doc.needs_manual_dispatch, offers(doc.name)), (Status.PENDING_DISPATCH, 1, [])
		)
		self.assertTrue(
			frappe.db.exists("ToDo", {"reference_type": "HS Booking", "reference_name": doc.name})
		)
		decision = frappe.get_last_doc("HS Dispatch Decision", filters={"booking": doc.name})
		self.assertEqual(decision.candidate_count, 3)

	def test_rule_choice_by_category_area_and_priority(self):
		parent = make_category(is_group=1)
		frappe.db.set_value(
			"HS Service Category",
			frappe.db.get_value("HS Service Item", self.corner.item, "category"),
			"parent_hs_service_category",
			parent,
		)
		frappe.get_doc("HS Service Category", parent).save()  # rebuilds the tree bounds
		from frappe.utils.nestedset import rebuild_tree

		rebuild_tree("HS Service Category")
		generic = rule(strategy="Auto Assign", priority=1)
		by_category = rule(strategy="Broadcast", priority=5, category=parent)
		rule(strategy="Manual", priority=50, service_area=Corner().area)  # another area: never matches
		doc = self.paid_booking()
		self.assertEqual(engine.find_rule(doc).name, by_category)
		frappe.db.set_value("HS Dispatch Rule", by_category, "enabled", 0)
		self.assertEqual(engine.find_rule(doc).name, generic)

	def test_previous_technician_is_preferred_when_weighted(self):
		rule(strategy="Auto Assign", weight_previous=10)
		earlier = self.paid_booking(hour=8)
		earlier.technician = self.far
		for status in (
			Status.ASSIGNED,
			Status.ON_THE_WAY,
			Status.ARRIVED,
			Status.IN_SERVICE,
			Status.AWAITING_CONFIRMATION,
			Status.COMPLETED,
		):
			earlier.transition_to(status)
		doc = self.paid_booking(hour=14)
		dispatch_booking(doc.name)
		self.assertEqual(offers(doc.name)[0].technician, self.far)

	def test_rating_weight_prefers_the_best_rated(self):
		for name, rating in ((self.near, 2.0), (self.middle, 3.5), (self.far, 5.0)):
			frappe.db.set_value("HS Technician", name, "rating", rating)
		doc = self.paid_booking()
		self.assertEqual(ranking(doc, weight_distance=1), [self.near, self.middle, self.far])
		self.assertEqual(
			ranking(doc, weight_distance=0.1, weight_rating=1), [self.far, self.middle, self.near]
		)
		# the rule dispatch picks carries the weights to the offer
		rule(
			strategy="Auto Assign", priority=200, **{**NO_WEIGHTS, "weight_distance": 0.1, "weight_rating": 1}
		)
		dispatch_booking(doc.name)
		self.assertEqual([o.technician for o in offers(doc.name)], [self.far])

	def test_load_weight_spreads_the_day_s_jobs(self):
		for hour in (14, 16):  # the nearest technician already has two jobs that day
			other = self.paid_booking(hour)
			other.technician = self.near
			other.transition_to(Status.ASSIGNED)
		doc = self.paid_booking(10)
		self.assertEqual(ranking(doc, weight_distance=1), [self.near, self.middle, self.far])
		self.assertEqual(ranking(doc, weight_distance=0.1, weight_load=1), [self.middle, self.far, self.near])
		name = rule(strategy="Auto Assign", **{**NO_WEIGHTS, "weight_load": 1})
		loads = {
			s.technician: s.factors["load"] for s in engine.ranked_candidates(doc, engine.get_rule(name))
		}
		self.assertEqual(loads, {self.near: 0.75, self.middle: 1.0, self.far: 1.0})  # 2 of 8 a day

	def test_acceptance_weight_prefers_who_accepts_offers(self):
		frappe.db.set_value("HS Technician", self.near, {"offers_received": 10, "offers_accepted": 0})
		frappe.db.set_value("HS Technician", self.middle, {"offers_received": 10, "offers_accepted": 10})
		doc = self.paid_booking()
		self.assertEqual(ranking(doc, weight_distance=1), [self.near, self.middle, self.far])
		# smoothed rates: middle 11/12, far (no offers yet) 1/2, near 1/12
		self.assertEqual(
			ranking(doc, weight_distance=0.1, weight_acceptance=1), [self.middle, self.far, self.near]
		)

	def test_search_radius_leaves_out_far_technicians(self):
		make_user(["HS Dispatcher"])
		doc = self.paid_booking()
		# near ~1 km, middle ~5.6 km, far ~11 km away
		self.assertEqual(ranking(doc, weight_distance=1, search_radius_km=3), [self.near])
		self.assertEqual(ranking(doc, weight_distance=1, search_radius_km=8), [self.near, self.middle])
		self.assertEqual(
			ranking(doc, weight_distance=1, search_radius_km=20), [self.near, self.middle, self.far]
		)
		rule(strategy="Auto Assign", priority=200, search_radius_km=0.5)  # nobody that close
		dispatch_booking(doc.name)
		self.assertEqual((self.reload(doc).needs_manual_dispatch, offers(doc.name)), (1, []))

	def test_accept_fails_if_the_technician_got_busy_meanwhile(self):
		rule(strategy="Broadcast", broadcast_size=3)
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		near_offer = next(o for o in offers(doc.name) if o.technician == self.near)
		frappe.get_doc(
			{
				"doctype": "HS Technician Leave",
				"technician": self.near,
				"from_datetime": at(self.day, 9),
				"to_datetime": at(self.day, 12),
				"leave_type": "Sick Leave",
			}
		).insert()
		self.assertRaises(TechnicianBusyError, accept_offer, near_offer.name, self.near)

	def test_offered_booking_whose_offers_all_closed_is_redriven(self):
		make_user(["HS Dispatcher"])
		rule(strategy="Auto Assign", max_rounds=2)
		doc = self.paid_booking()
		dispatch_booking(doc.name)

		def crash_after_closing_the_round():
			"""The offers were closed but the worker died before moving the booking on."""
			frappe.db.set_value(
				"HS Dispatch Offer", {"booking": doc.name, "status": "Pending"}, "status", "Expired"
			)
			stale = add_to_date(now_datetime(), minutes=-5)
			frappe.db.set_value("HS Booking", doc.name, "modified", stale, update_modified=False)

		crash_after_closing_the_round()
		self.assertGreaterEqual(engine.redrive_stalled(), 1)
		doc = self.reload(doc)
		self.assertEqual((doc.status, doc.dispatch_round), (Status.OFFERED, 2))
		self.assertEqual(
			[(o.technician, o.status, o.round) for o in offers(doc.name)],
			[(self.near, "Expired", 1), (self.middle, "Pending", 2)],
		)
		engine.redrive_stalled()  # it has a pending offer again: left alone
		self.assertEqual(len(offers(doc.name)), 2)

		crash_after_closing_the_round()  # the last round: the dispatchers get it
		engine.redrive_stalled()
		doc = self.reload(doc)
		self.assertEqual((doc.status, doc.needs_manual_dispatch), (Status.PENDING_DISPATCH, 1))
		self.assertEqual(len(offers(doc.name)), 2)
		self.assertTrue(alerts(doc.name))

	def test_stalled_bookings_are_redriven_from_the_database(self):
		rule(strategy="Auto Assign")
		doc = self.paid_booking()
		frappe.db.set_value(
			"HS Booking", doc.name, "modified", add_to_date(now_datetime(), minutes=-5), update_modified=False
		)
		self.assertGreaterEqual(engine.redrive_stalled(), 1)
		self.assertEqual(len(offers(doc.name, "Pending")), 1)

	def test_plugin_strategy_registered_through_the_hook(self):
		with patch_hooks(
			{
				"hs_dispatch_strategies": {
					**frappe.get_hooks("hs_dispatch_strategies"),
					"Lowest Scored": ["home_service.dispatch.test_dispatch.LowestScored"],
				}
			}
		):
			self.assertRaises(frappe.ValidationError, rule, strategy="Teleport")
			name = rule(strategy="Lowest Scored", **{**NO_WEIGHTS, "weight_distance": 1})
			doc = self.paid_booking()
			dispatch_booking(doc.name)
		# the built-in strategies offer to the nearest first; the plugin chose the farthest
		[offer] = frappe.get_all(
			"HS Dispatch Offer",
			filters={"booking": doc.name},
			fields=["technician", "strategy", "dispatch_rule", "round"],
		)
		self.assertEqual(
			(offer.technician, offer.strategy, offer.dispatch_rule, offer.round),
			(self.far, "Lowest Scored", name, 1),
		)
		decision = frappe.get_last_doc("HS Dispatch Decision", filters={"booking": doc.name})
		self.assertEqual((decision.strategy, decision.dispatch_rule), ("Lowest Scored", name))
		self.assertEqual(
			[c["technician"] for c in json.loads(decision.candidates)], [self.near, self.middle, self.far]
		)
		self.assertEqual(self.reload(doc).dispatch_rule, name)

	def test_the_booking_form_shows_the_dispatch_decisions_to_staff(self):
		customer = make_customer(with_user=True)
		address = make_address(customer, self.corner.lat, self.corner.lng)
		doc = make_booking(
			customer=customer,
			address=address,
			items=self.corner.items(),
			window_start=at(self.day, 10),
			with_capacity=False,
		)
		mark_paid(doc)
		doc.transition_to(Status.PENDING_DISPATCH)
		name = rule(strategy="Broadcast", broadcast_size=2)
		dispatch_booking(doc.name)
		reject_offer(offers(doc.name)[0].name, self.near, "太远")

		with self.set_user(make_user(["HS Dispatcher"])):
			history = frappe.call(HISTORY, booking=doc.name)
		[decision] = history["decisions"]
		self.assertEqual(
			(decision.round, decision.strategy, decision.rule_name, decision.candidate_count),
			(1, "Broadcast", frappe.db.get_value("HS Dispatch Rule", name, "rule_name"), 3),
		)
		self.assertEqual(
			[(c["technician"], c["offer_status"]) for c in decision.candidates],
			[(self.near, "Rejected"), (self.middle, "Pending"), (self.far, None)],
		)
		self.assertEqual(
			set(decision.candidates[0]["factors"]), {"distance", "rating", "load", "acceptance", "previous"}
		)
		self.assertEqual(
			[(o.technician, o.status, o.reject_reason) for o in history["offers"]],
			[(self.near, "Rejected", "太远"), (self.middle, "Pending", None)],
		)

		customer_user = frappe.db.get_value("HS Customer", customer, "user")
		with self.set_user(customer_user):
			self.assertTrue(frappe.has_permission("HS Booking", "read", doc.name))  # their own booking...
			self.assertRaises(frappe.PermissionError, frappe.call, HISTORY, booking=doc.name)  # ...not this

	def test_decisions_and_offers_are_connections_of_the_booking(self):
		dashboard = frappe.get_meta("HS Booking").get_dashboard_data()
		[group] = [g for g in dashboard.transactions if g["label"] == "Dispatch"]
		self.assertEqual(group["items"], ["HS Dispatch Decision", "HS Dispatch Offer"])
		self.assertEqual(dashboard.non_standard_fieldnames["HS Dispatch Decision"], "booking")
		self.assertEqual(dashboard.non_standard_fieldnames["HS Dispatch Offer"], "booking")

	def test_release_returns_the_booking_to_dispatch_without_the_technician(self):
		rule(strategy="Auto Assign")
		doc = self.paid_booking()
		dispatch_booking(doc.name)
		doc = accept_offer(offers(doc.name)[0].name, self.near)
		doc.transition_to(Status.PENDING_DISPATCH, note="技师请假")
		doc = self.reload(doc)
		self.assertEqual((doc.technician, doc.dispatch_round), (None, 0))
		dispatch_booking(doc.name)
		self.assertEqual(offers(doc.name, "Pending")[0].technician, self.middle)  # not offered again to near
