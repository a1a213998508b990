# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Coupons and points under concurrent requests, each on its own database connection.

The setup is committed (other connections must see it) and removed again at the end.
"""

from collections import Counter

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.service import create_booking
from home_service.marketing import coupons, points
from home_service.marketing.errors import CouponUnavailableError, PointsError
from home_service.scheduling.test_concurrent_holds import race
from home_service.tests.factories import make_address, make_customer
from home_service.tests.marketing_fixtures import make_template
from home_service.tests.scheduling_fixtures import Corner, at, day_after

ATTEMPTS = 50
QUOTA = 7
PER_CUSTOMER = 2


def refused(fn, *errors):
	"""`fn` as a racer's work: ("ok", result), or ("refused", http status) for the expected refusals."""

	def work():
		try:
			return ("ok", fn())
		except errors as e:
			frappe.db.rollback()
			return ("refused", e.http_status_code)

	return work


class TestMarketingConcurrency(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.corner = Corner()
		cls.technician = cls.corner.technician()
		cls.customers = [make_customer() for _ in range(ATTEMPTS)]
		cls.template = make_template(quota=QUOTA)
		cls.single_use = make_template()
		cls.two_each = make_template(per_customer_limit=PER_CUSTOMER)
		cls.claimer = make_customer()
		cls.replayer = make_customer()  # their own points, so the balance test above stays exact
		cls.replayer_address = make_address(cls.replayer, cls.corner.lat, cls.corner.lng)
		points.post(cls.replayer, 1000, "Adjustment", f"test:race:{cls.replayer}")
		cls.coupon = coupons.issue_coupon(cls.single_use, cls.corner.customer)
		points.post(cls.corner.customer, 1000, "Adjustment", f"test:race:{cls.corner.customer}")
		frappe.db.commit()  # nosemgrep: the racing connections must see the setup
		cls.addClassCleanup(cls.remove_committed_records)

	@classmethod
	def remove_committed_records(cls):
		frappe.db.rollback()
		everyone = [*cls.customers, cls.corner.customer, cls.claimer, cls.replayer]
		bookings = frappe.get_all(
			"HS Booking", filters={"customer": ("in", [cls.corner.customer, cls.replayer])}, pluck="name"
		)
		frappe.db.delete("HS Booking Event", {"booking": ("in", bookings or [""])})
		frappe.db.delete("HS Customer Coupon", {"customer": ("in", everyone)})
		frappe.db.delete("HS Points Entry", {"customer": ("in", everyone)})
		frappe.db.delete("HS Points Account", {"customer": ("in", everyone)})
		for name in bookings:
			frappe.delete_doc("HS Booking", name, force=True, ignore_permissions=True)
		for name in (cls.template, cls.single_use, cls.two_each):
			frappe.delete_doc("HS Coupon Template", name, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Technician", cls.technician, force=True, ignore_permissions=True)
		for address in (cls.corner.address, cls.replayer_address):
			frappe.delete_doc("HS Customer Address", address, force=True, ignore_permissions=True)
		for name in everyone:
			frappe.delete_doc("HS Customer", name, force=True, ignore_permissions=True)
		category = frappe.db.get_value("HS Service Item", cls.corner.item, "category")
		frappe.delete_doc("HS Service Item", cls.corner.item, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Service Category", category, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Skill", cls.corner.skill, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Service Area", cls.corner.area, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: undo the committed setup

	def test_fifty_claims_on_a_quota_exactly_quota_win(self):
		works = [
			refused(lambda c=c: coupons.claim_coupon(self.template, c), CouponUnavailableError)
			for c in self.customers
		]
		results = race(frappe.local.site, works)
		self.assertEqual(Counter(r[0] for r in results), {"ok": QUOTA, "refused": ATTEMPTS - QUOTA}, results)
		self.assertEqual({r[1] for r in results if r[0] == "refused"}, {409})
		frappe.db.rollback()  # a fresh snapshot: read what the racers committed
		self.assertEqual(frappe.db.get_value("HS Coupon Template", self.template, "issued"), QUOTA)
		self.assertEqual(frappe.db.count("HS Customer Coupon", {"template": self.template}), QUOTA)

	def test_fifty_bookings_one_coupon_exactly_one_wins(self):
		start = at(day_after(3), 10)
		works = [
			refused(
				lambda: create_booking(
					self.corner.customer, self.corner.address, self.corner.items(), start, coupon=self.coupon
				).name,
				CouponUnavailableError,
			)
			for _ in range(ATTEMPTS)
		]
		results = race(frappe.local.site, works)
		self.assertEqual(Counter(r[0] for r in results), {"ok": 1, "refused": ATTEMPTS - 1}, results)
		winner = next(r[1] for r in results if r[0] == "ok")
		frappe.db.rollback()
		self.assertEqual(
			tuple(frappe.db.get_value("HS Customer Coupon", self.coupon, ["status", "booking"])),
			("Locked", winner),
		)
		self.assertEqual(
			frappe.get_all("HS Booking", filters={"coupon_code": self.coupon}, pluck="name"), [winner]
		)

	def test_redemptions_beyond_the_balance_never_go_negative(self):
		customer = self.corner.customer
		have = points.balance(customer)
		works = [
			refused(
				lambda i=i: points.post(customer, -150, "Redemption", f"test:race:redeem:{customer}:{i}"),
				PointsError,
			)
			for i in range(ATTEMPTS)
		]
		# and the same award arriving ten times at once is posted once
		works += [
			refused(lambda: points.post(customer, 5, "Recycling", f"test:race:award:{customer}"), PointsError)
			for _ in range(10)
		]
		results = race(frappe.local.site, works)
		self.assertFalse([r for r in results if r[0] not in ("ok", "refused")], results)
		frappe.db.rollback()
		redeemed = frappe.db.count("HS Points Entry", {"customer": customer, "entry_type": "Redemption"})
		awarded = frappe.db.count("HS Points Entry", {"reference_key": f"test:race:award:{customer}"})
		self.assertEqual(awarded, 1)
		final = points.balance(customer)
		self.assertEqual(final, frappe.db.get_value("HS Points Account", customer, "balance"))
		self.assertGreaterEqual(final, 0)
		self.assertEqual(final, have + 5 - 150 * redeemed)
		self.assertLessEqual(150 * redeemed, have + 5)
		self.assertGreaterEqual(redeemed, have // 150)  # every redemption the balance allowed went through

	def test_one_customer_claiming_twenty_times_at_once_gets_the_per_customer_limit(self):
		works = [
			refused(lambda: coupons.claim_coupon(self.two_each, self.claimer), CouponUnavailableError)
			for _ in range(20)
		]
		results = race(frappe.local.site, works)
		self.assertEqual(
			Counter(r[0] for r in results), {"ok": PER_CUSTOMER, "refused": 20 - PER_CUSTOMER}, results
		)
		self.assertEqual({r[1] for r in results if r[0] == "refused"}, {409})
		frappe.db.rollback()
		mine = frappe.get_all(
			"HS Customer Coupon", filters={"template": self.two_each, "customer": self.claimer}, pluck="name"
		)
		self.assertEqual(sorted(mine), sorted(r[1] for r in results if r[0] == "ok"))
		self.assertEqual(frappe.db.get_value("HS Coupon Template", self.two_each, "issued"), PER_CUSTOMER)

	def test_a_booking_request_replayed_at_once_redeems_its_points_once(self):
		customer, key = self.replayer, f"replay-{frappe.generate_hash(length=10)}"

		def book():
			start = at(day_after(4), 14)
			items = self.corner.items()
			return create_booking(
				customer, self.replayer_address, items, start, idempotency_key=key, points=100
			)

		results = race(frappe.local.site, [refused(lambda: book().name, PointsError) for _ in range(10)])
		winners = {r[1] for r in results if r[0] == "ok"}
		# every replay, also those that waited for the first, answers with the one booking
		self.assertEqual(len(winners), 1, results)
		self.assertEqual([r[0] for r in results], ["ok"] * 10, results)
		frappe.db.rollback()
		booking = winners.pop()
		self.assertEqual(
			frappe.get_all("HS Booking", filters={"idempotency_key": key}, pluck="name"), [booking]
		)
		self.assertEqual(book().name, booking)  # replayed once more, afterwards: the same booking
		redeemed = frappe.get_all(
			"HS Points Entry", filters={"customer": customer, "points": ("<", 0)}, pluck="points"
		)
		self.assertEqual(redeemed, [-100])
		self.assertEqual(points.balance(customer), 900)
		self.assertEqual(frappe.db.get_value("HS Points Account", customer, "balance"), 900)
		frappe.db.rollback()
