# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""50 customers race for one window over separate database connections.

The setup is committed (other connections must see it) and removed again at the end.
"""

import threading
import time
from collections import Counter

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.booking.service import create_booking
from home_service.dispatch.engine import OfferClosedError, accept_offer, dispatch_booking
from home_service.scheduling.holds import NoCapacityError, lock_technicians
from home_service.tests import concurrency
from home_service.tests.factories import mark_paid
from home_service.tests.scheduling_fixtures import Corner, at, day_after

ATTEMPTS = 50
CAPACITY = 3


def race(site: str, works: list) -> list:
	return concurrency.race(
		site, works, refused=(NoCapacityError, OfferClosedError), refused_as="conflict", timeout=120
	)


class TestConcurrentHolds(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.corner = Corner()
		cls.technicians = [cls.corner.technician() for _ in range(CAPACITY)]
		cls.day = day_after(3)
		frappe.db.commit()  # nosemgrep: the racing connections must see the technicians
		cls.addClassCleanup(cls.remove_committed_records)

	@classmethod
	def remove_committed_records(cls):
		frappe.db.rollback()
		bookings = frappe.get_all("HS Booking", filters={"customer": cls.corner.customer}, pluck="name")
		for doctype, field in (
			("HS Dispatch Offer", "booking"),
			("HS Dispatch Decision", "booking"),
			("HS Booking Event", "booking"),
		):
			frappe.db.delete(doctype, {field: ("in", bookings or [""])})
		for name in bookings:
			frappe.delete_doc("HS Booking", name, force=True, ignore_permissions=True)
		for name in cls.technicians:
			frappe.delete_doc("HS Technician", name, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Customer Address", cls.corner.address, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Customer", cls.corner.customer, force=True, ignore_permissions=True)
		category = frappe.db.get_value("HS Service Item", cls.corner.item, "category")
		frappe.delete_doc("HS Service Item", cls.corner.item, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Service Category", category, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Skill", cls.corner.skill, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Service Area", cls.corner.area, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: undo the committed setup

	def test_a_hold_skips_technicians_another_request_has_locked(self):
		"""Another request is in the middle of holding two of the three technicians: this booking takes
		the third at once instead of queueing behind it; with all three locked it waits for them."""
		start = at(self.day, 16)
		locked, free = self.technicians[:2], self.technicians[2]
		holding, release = threading.Event(), threading.Event()

		site = frappe.local.site

		def other_request(names):
			frappe.init(site=site, sites_path=".")
			frappe.connect()
			try:
				lock_technicians(names)
				holding.set()
				release.wait(timeout=30)
			finally:
				frappe.db.rollback()
				frappe.destroy()

		other = threading.Thread(target=other_request, args=(locked,))
		other.start()
		try:
			self.assertTrue(holding.wait(timeout=30))
			began = time.monotonic()
			doc = create_booking(self.corner.customer, self.corner.address, self.corner.items(), start)
			self.assertLess(time.monotonic() - began, 5)  # not queued behind the other request
			self.assertEqual(doc.held_technician, free)
		finally:
			release.set()
			other.join(timeout=60)
		frappe.db.rollback()

		# every candidate locked elsewhere: the booking waits for them and then takes one
		holding.clear()
		release.clear()
		other = threading.Thread(target=other_request, args=(self.technicians,))
		other.start()
		try:
			self.assertTrue(holding.wait(timeout=30))
			threading.Timer(1.0, release.set).start()
			began = time.monotonic()
			doc = create_booking(self.corner.customer, self.corner.address, self.corner.items(), start)
			self.assertGreaterEqual(time.monotonic() - began, 0.9)
			self.assertIn(doc.held_technician, self.technicians)
		finally:
			release.set()
			other.join(timeout=60)
		frappe.db.rollback()

	def test_fifty_customers_one_window_exactly_capacity_wins(self):
		start = at(self.day, 10)

		def book():
			doc = create_booking(self.corner.customer, self.corner.address, self.corner.items(), start)
			return ("ok", doc.name, doc.held_technician)

		results = race(frappe.local.site, [book] * ATTEMPTS)
		outcome = Counter(r[0] for r in results)
		self.assertEqual(outcome, {"ok": CAPACITY, "conflict": ATTEMPTS - CAPACITY}, results)
		self.assertEqual({r[1] for r in results if r[0] == "conflict"}, {409})
		held = [r[2] for r in results if r[0] == "ok"]
		self.assertEqual(sorted(held), sorted(self.technicians))  # one each, nobody twice

		frappe.db.rollback()  # a fresh snapshot: read what the racers committed
		stored = frappe.get_all(
			"HS Booking",
			filters={"customer": self.corner.customer, "window_start": start},
			pluck="held_technician",
		)
		self.assertEqual(sorted(stored), sorted(self.technicians))
		# nothing is left holding the technicians: a NOWAIT lock succeeds at once
		locked = frappe.db.sql(
			"select name from `tabHS Technician` where name in %(names)s for update nowait",
			{"names": tuple(self.technicians)},
		)
		self.assertEqual(len(locked), CAPACITY)

		# broadcast: every technician is offered a later job at once and all of them accept at once
		booking = create_booking(
			self.corner.customer, self.corner.address, self.corner.items(), at(self.day, 14)
		)
		mark_paid(booking)
		booking.transition_to(Status.PENDING_DISPATCH)
		frappe.db.set_single_value("HS Settings", "travel_buffer_minutes", 30)
		rule = frappe.get_doc(
			{
				"doctype": "HS Dispatch Rule",
				"rule_name": f"Race {booking.name}",
				"strategy": "Broadcast",
				"broadcast_size": 3,
				"priority": 999,
			}
		).insert()
		dispatch_booking(booking.name)
		offers = frappe.get_all(
			"HS Dispatch Offer", filters={"booking": booking.name}, fields=["name", "technician"]
		)
		frappe.db.commit()  # nosemgrep: racers must see the offers
		try:
			works = [
				lambda o=o: ("ok", accept_offer(o.name, o.technician).technician)
				for o in offers
				for _ in range(5)
			]
			results = race(frappe.local.site, works)
			outcome = Counter(r[0] for r in results)
			self.assertEqual(outcome["ok"], 1, results)
			self.assertEqual(outcome["error"], 0, results)
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value("HS Booking", booking.name, "status"), Status.ASSIGNED)
			statuses = Counter(
				frappe.get_all("HS Dispatch Offer", filters={"booking": booking.name}, pluck="status")
			)
			self.assertEqual(statuses, {"Accepted": 1, "Withdrawn": len(offers) - 1})
		finally:
			frappe.delete_doc("HS Dispatch Rule", rule.name, force=True, ignore_permissions=True)
			frappe.db.commit()  # nosemgrep: undo the committed rule
