# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Recycling: the price board, pricing what was weighed, review flags, the wallet payout once
(security case 23: a retry or a second approval pays nothing more), points per kg."""

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, nowdate

from home_service.billing import recycling
from home_service.billing.accounts import Account
from home_service.billing.ledger import owed_fen, unbalanced_keys
from home_service.booking.lifecycle import Status
from home_service.tests.earnings_fixtures import earnings_settings, entries, payout_technician
from home_service.tests.factories import advance, make_booking, make_item, make_user, uid

PHOTO = [{"image": "/private/files/weighing.jpg", "stage": "During"}]


def price(waste_type: str, per_kg, day=None, enabled=1) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": recycling.PRICE,
				"waste_type": waste_type,
				"price_per_kg": per_kg,
				"valid_on": day or nowdate(),
				"enabled": enabled,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestRecycling(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("rc_test")
		self.paper, self.metal = uid("废纸-"), uid("金属-")
		price(self.paper, "0.80", add_days(nowdate(), -3))
		price(self.paper, "1.15")  # today's board replaces the older price
		price(self.paper, "9.99", add_days(nowdate(), 1))  # tomorrow's is not today's
		price(self.metal, "2.35", add_days(nowdate(), -1))
		self.settings = earnings_settings(
			recycling_max_per_pickup=500,
			recycling_max_per_customer_day=1000,
			recycling_review_kg=200,
			recycling_require_photo=1,
		)
		self.settings.__enter__()

	def tearDown(self):
		self.settings.__exit__(None, None, None)
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="rc_test")

	def pickup_booking(self, customer=None):
		item = make_item(pricing_model="Recycling", specs=[{"spec_name": "废纸", "price": 1.2}])
		kw = {"customer": customer} if customer else {}
		doc = make_booking(items=[{"service_item": item, "quantity": 10}], **kw)
		return advance(doc, Status.IN_SERVICE, technician=payout_technician())

	def record(self, booking, lines, photos=PHOTO):
		return recycling.record_pickup(booking, booking.technician, lines, photos)

	def wallet(self, customer):
		return owed_fen(Account.CUSTOMER_WALLET, "HS Customer", customer)

	def test_board_and_exact_pricing_pay_the_wallet(self):
		board = recycling.price_board()
		self.assertEqual((board[self.paper], board[self.metal]), (Decimal("1.15"), Decimal("2.35")))
		booking = self.pickup_booking()
		pickup = self.record(
			booking,
			[{"waste_type": self.paper, "weight_kg": "12.345"}, {"waste_type": self.metal, "weight_kg": 3}],
		)
		# 1.15 × 12.345 = 14.19675 → 14.20; 2.35 × 3 = 7.05
		self.assertEqual([row.amount_fen for row in pickup.lines], [1420, 705])
		self.assertEqual((pickup.status, pickup.total_fen), ("Paid", 2125))
		self.assertEqual(self.wallet(booking.customer), 2125)
		rows = entries(posting_key=f"{pickup.name}:recycling-payout")
		self.assertEqual(
			{r.account: r.amount_fen for r in rows},
			{
				Account.RECYCLING_PAYOUT: 2125,
				Account.CUSTOMER_WALLET: -2125,
			},
		)
		points = frappe.db.get_value(
			"HS Points Entry", {"reference_key": f"recycling:{booking.name}"}, "points"
		)
		self.assertEqual(pickup.points_awarded, points)
		self.assertTrue(points and points > 0)

	def test_a_paid_pickup_is_never_paid_twice(self):
		booking = self.pickup_booking()
		pickup = self.record(booking, [{"waste_type": self.paper, "weight_kg": 10}])
		self.assertEqual(pickup.status, "Paid")
		recycling.pay(pickup.name)  # a retried job
		frappe.set_user(make_user(["HS Finance"]))
		recycling.approve(pickup.name)  # an admin re-approves
		recycling.approve(pickup.name)
		frappe.set_user("Administrator")
		with self.assertRaises(recycling.RecyclingStateError):  # the collector records again
			self.record(booking, [{"waste_type": self.paper, "weight_kg": 99}])
		self.assertEqual(self.wallet(booking.customer), 1150)
		self.assertEqual(len(entries(posting_key=f"{pickup.name}:recycling-payout")), 2)
		self.assertEqual(
			frappe.db.count("HS Points Entry", {"reference_key": f"recycling:{booking.name}"}), 1
		)
		self.assertEqual(unbalanced_keys(), [])

	def test_anomalies_go_to_review_and_are_decided_once(self):
		heavy = self.record(self.pickup_booking(), [{"waste_type": self.metal, "weight_kg": "200.001"}])
		self.assertEqual(heavy.status, "Review")
		self.assertIn("200.001", heavy.review_reasons)
		self.assertNotIn("¥500.00", heavy.review_reasons)  # 470.00 is under the cap; the weight is not
		no_photo = self.record(self.pickup_booking(), [{"waste_type": self.paper, "weight_kg": 1}], photos=[])
		self.assertEqual(no_photo.status, "Review")
		self.assertEqual(self.wallet(heavy.customer), 0)

		clerk = make_user(["HS Customer Service"])
		frappe.set_user(clerk)
		self.assertRaises(frappe.PermissionError, recycling.approve, heavy.name)
		frappe.set_user(make_user(["HS Finance"]))
		recycling.approve(heavy.name)
		recycling.approve(heavy.name)
		self.assertRaises(recycling.RecyclingStateError, recycling.reject, heavy.name, "late")
		recycling.reject(no_photo.name, "no evidence")
		self.assertRaises(recycling.RecyclingStateError, recycling.approve, no_photo.name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(recycling.PICKUP, heavy.name, "status"), "Paid")
		self.assertEqual(self.wallet(heavy.customer), 47000)
		self.assertEqual(self.wallet(no_photo.customer), 0)

	def test_caps_per_pickup_and_per_customer_day(self):
		with earnings_settings(recycling_max_per_pickup=20, recycling_max_per_customer_day=30):
			big = self.record(self.pickup_booking(), [{"waste_type": self.metal, "weight_kg": 9}])
			self.assertEqual(big.status, "Review")  # 21.15 > 20
			first = self.record(self.pickup_booking(), [{"waste_type": self.metal, "weight_kg": 8}])
			self.assertEqual(first.status, "Paid")  # 18.80
			second = self.record(
				self.pickup_booking(customer=first.customer), [{"waste_type": self.metal, "weight_kg": 5}]
			)
			self.assertEqual(second.status, "Review")  # 18.80 + 11.75 > 30 for that customer today
			self.assertIn("¥30.00", second.review_reasons)
		self.assertEqual(self.wallet(first.customer), 1880)

	def test_bad_input_changes_nothing(self):
		booking = self.pickup_booking()
		for lines in (
			[],
			[{"waste_type": "塑料-unknown", "weight_kg": 1}],
			[{"waste_type": self.paper, "weight_kg": 0}],
			[{"waste_type": self.paper, "weight_kg": -2}],
			[{"waste_type": self.paper, "weight_kg": "1.0001"}],
			[{"waste_type": self.paper, "weight_kg": "NaN"}],
			[{"waste_type": self.paper, "weight_kg": 1}, {"waste_type": self.paper, "weight_kg": 2}],
			["paper"],
		):
			with self.assertRaises(recycling.RecyclingError, msg=lines):
				self.record(booking, lines)
		normal = self.pickup_booking()
		normal.db_set("status", Status.AWAITING_CONFIRMATION)
		with self.assertRaises(recycling.RecyclingStateError):
			self.record(normal, [{"waste_type": self.paper, "weight_kg": 1}])
		self.assertFalse(frappe.db.exists(recycling.PICKUP, {"booking": booking.name}))
		self.assertRaises(frappe.DuplicateEntryError, price, self.metal, "3", add_days(nowdate(), -1))
