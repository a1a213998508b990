# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Points: earning, redeeming at checkout (value and cap), giving back, expiry, idempotency."""

from decimal import Decimal

import frappe
from frappe.utils import add_days, getdate, nowdate

from home_service.booking import cancellation
from home_service.booking.lifecycle import Status
from home_service.booking.service import create_booking
from home_service.marketing import checkout, points
from home_service.marketing.errors import PointsError
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.tests.marketing_fixtures import apply_marketing_settings, pay, quoted_total
from home_service.tests.scheduling_fixtures import at
from home_service.utils.money import money


class TestPoints(CustomerTestCase):
	def setUp(self):
		super().setUp()
		apply_marketing_settings()

	def give(self, amount: int, customer: str | None = None, key: str | None = None) -> str:
		return points.post(customer or self.customer, amount, "Adjustment", key or frappe.generate_hash())

	def create(self, hour: int, **kw):
		return create_booking(self.customer, self.address, self.corner.items(), at(self.day, hour), **kw)

	def test_earned_per_whole_yuan_paid_once(self):
		apply_marketing_settings({"points_per_yuan": 2})
		booking = self.book(hour=10)
		booking.grand_total = Decimal("99.50")
		pay(booking)
		self.assertEqual(points.balance(self.customer), 2 * int(money(booking.paid_amount)))
		checkout.on_booking_paid(booking)  # the notification again
		self.assertEqual(
			frappe.db.count("HS Points Entry", {"booking": booking.name, "entry_type": "Payment"}), 1
		)

	def test_redeem_value_balance_and_cap(self):
		total = quoted_total(self.address, self.corner.items(), at(self.day, 10))
		cap_points = int(total * 50)  # 50% of the order at 1 yuan per 100 points
		self.give(cap_points + 500)
		with self.assertRaisesRegex(PointsError, "At most"):
			self.create(10, points=cap_points + 1)
		with self.assertRaisesRegex(PointsError, "fewer than"):
			self.create(10, points=cap_points + 501)
		booking = self.create(10, points=cap_points)
		self.assertEqual(booking.points_used, cap_points)
		self.assertEqual(money(booking.points_deduction), money(Decimal(cap_points) / 100))
		self.assertEqual(money(booking.grand_total), total - money(Decimal(cap_points) / 100))
		self.assertEqual(points.balance(self.customer), 500)
		self.assertEqual(
			frappe.db.get_value("HS Points Entry", {"reference_key": f"redeem:{booking.name}"}, "points"),
			-cap_points,
		)

	def test_points_come_back_when_an_unpaid_booking_is_cancelled(self):
		self.give(300)
		booking = self.create(10, points=300)
		self.assertEqual(points.balance(self.customer), 0)
		cancellation.cancel(booking, "no longer needed")
		self.assertEqual(points.balance(self.customer), 300)
		checkout.on_booking_cancelled(booking, 0)  # a second call gives nothing more
		self.assertEqual(points.balance(self.customer), 300)

	def test_paid_booking_keeps_its_redemption(self):
		self.give(300)
		booking = self.create(10, points=300)
		pay(booking)
		earned = points.balance(self.customer)
		cancellation.cancel(booking, "cancel after paying", actor_role="System")
		self.assertEqual(points.balance(self.customer), earned)

	def test_a_replayed_booking_request_redeems_once(self):
		"""The mini-program retries create_booking with the same idempotency key (a lost answer):
		the same booking comes back and the points are taken once, even when the retry asks for more."""
		self.give(300)
		first = self.create(10, points=200, idempotency_key="replay-points-0001")
		again = self.create(10, points=200, idempotency_key="replay-points-0001")
		greedy = self.create(10, points=300, idempotency_key="replay-points-0001")
		self.assertEqual({first.name, again.name, greedy.name}, {first.name})
		self.assertEqual(points.balance(self.customer), 100)
		self.assertEqual(
			frappe.get_all(
				"HS Points Entry", filters={"customer": self.customer, "points": ("<", 0)}, pluck="points"
			),
			[-200],
		)
		other = self.create(12, points=100, idempotency_key="replay-points-0002")  # a new request
		self.assertNotEqual(other.name, first.name)
		self.assertEqual(points.balance(self.customer), 0)

	def test_same_key_posts_once(self):
		self.assertTrue(self.give(50, key="test:once"))
		self.assertIsNone(self.give(50, key="test:once"))
		self.assertEqual(points.balance(self.customer), 50)

	def test_balance_never_negative(self):
		self.give(100)
		self.assertRaises(PointsError, points.post, self.customer, -101, "Redemption", "test:too-much")
		self.assertEqual(points.balance(self.customer), 100)

	def test_expiry_first_in_first_out(self):
		old = self.give(100)
		self.give(50)
		frappe.db.set_value("HS Points Entry", old, "expires_on", add_days(getdate(nowdate()), -1))
		points.post(self.customer, -30, "Redemption", "test:spent")  # uses the oldest points first
		self.assertEqual(points.expiring(self.customer, getdate(nowdate())), 70)
		self.assertGreaterEqual(points.expire_points(), 1)
		self.assertEqual(points.balance(self.customer), 50)
		entry = frappe.get_all(
			"HS Points Entry", filters={"customer": self.customer, "entry_type": "Expiry"}, pluck="points"
		)
		self.assertEqual(entry, [-70])
		points.expire_points()  # again the same day: nothing more
		self.assertEqual(points.balance(self.customer), 50)

	def test_earned_points_carry_an_expiry_date(self):
		apply_marketing_settings({"points_validity_days": 10})
		entry = frappe.get_doc("HS Points Entry", self.give(5))
		self.assertEqual(entry.expires_on, add_days(getdate(nowdate()), 10))
		apply_marketing_settings({"points_validity_days": 0})
		self.assertIsNone(frappe.get_doc("HS Points Entry", self.give(5)).expires_on)

	def test_review_points_once_per_booking(self):
		booking = self.booking_in(Status.COMPLETED, hour=12)
		review = frappe.get_doc({"doctype": "HS Review", "booking": booking.name, "rating": 5}).insert()
		self.assertEqual(
			frappe.db.get_value("HS Points Entry", {"reference_key": f"review:{booking.name}"}, "points"), 20
		)
		points.on_review_insert(review)  # the same review again
		self.assertEqual(
			frappe.db.count("HS Points Entry", {"entry_type": "Review", "booking": booking.name}), 1
		)

	def test_recycling_points(self):
		booking = self.book(hour=16)
		self.assertEqual(points.award_recycling_points(self.customer, 2.58, booking.name), 25)
		self.assertEqual(points.award_recycling_points(self.customer, 2.58, booking.name), 0)
		self.assertEqual(
			frappe.db.get_value("HS Points Entry", {"reference_key": f"recycling:{booking.name}"}, "booking"),
			booking.name,
		)
		for bad in (0, -1, "abc", float("nan")):
			self.assertRaises(PointsError, points.award_recycling_points, self.customer, bad, "ref")

	def test_points_value_rounds_down(self):
		apply_marketing_settings({"yuan_per_100_points": 1.5})
		self.assertEqual(points.points_value(1), Decimal("0.01"))
		self.assertEqual(points.points_value(3), Decimal("0.04"))
		self.assertEqual(points.max_points_for(Decimal("10.00")), 333)
