# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Coupons on an order: the discount rules, and the coupon's life with a booking."""

from decimal import Decimal

import frappe
from frappe.utils import add_days, add_to_date, now_datetime

from home_service.booking import cancellation
from home_service.booking.jobs import release_expired_holds
from home_service.booking.lifecycle import Status
from home_service.booking.service import create_booking
from home_service.catalog.pricing import compute_quote
from home_service.marketing import checkout, coupons
from home_service.marketing.errors import CouponError, CouponUnavailableError, PointsError
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.tests.factories import make_area, make_category
from home_service.tests.marketing_fixtures import apply_marketing_settings, make_template, pay
from home_service.tests.scheduling_fixtures import at
from home_service.utils.money import ZERO, money


class TestCouponRules(CustomerTestCase):
	def setUp(self):
		super().setUp()
		apply_marketing_settings()
		place = frappe.db.get_value(
			"HS Customer Address", self.address, ["service_area", "latitude", "longitude"], as_dict=True
		)
		self.area = place.service_area
		self.quote = compute_quote(
			self.corner.items(), at(self.day, 10), place.service_area, place.latitude, place.longitude
		)
		self.total = self.quote.grand_total
		self.assertGreater(self.total, Decimal("20"))

	def discount(self, template: str, customer: str | None = None) -> Decimal:
		coupon = coupons.issue_coupon(template, customer or self.customer)
		return coupons.coupon_discount(customer or self.customer, coupon, self.quote, self.area).amount

	def test_fixed_amount(self):
		self.assertEqual(self.discount(make_template(discount_value=12.5)), Decimal("12.50"))

	def test_percent_with_and_without_cap(self):
		capped = make_template(discount_type="Percent", discount_percent=50, max_discount=5)
		self.assertEqual(self.discount(capped), Decimal("5.00"))
		uncapped = make_template(discount_type="Percent", discount_percent=10)
		self.assertEqual(self.discount(uncapped), money(self.total * Decimal("0.1")))

	def test_minimum_spend(self):
		self.assertEqual(self.discount(make_template(min_spend=self.total)), Decimal("10.00"))
		with self.assertRaisesRegex(CouponError, "at least"):
			self.discount(make_template(min_spend=self.total + 1))

	def test_new_customer_only(self):
		template = make_template(new_customer_only=1)
		coupon = coupons.issue_coupon(template, self.customer)
		self.assertEqual(
			coupons.coupon_discount(self.customer, coupon, self.quote, self.area).amount, Decimal("10.00")
		)
		pay(self.book(hour=14))  # now they have paid once
		with self.assertRaisesRegex(CouponError, "first order"):
			coupons.coupon_discount(self.customer, coupon, self.quote, self.area)
		with self.assertRaisesRegex(CouponError, "new customers"):
			coupons.issue_coupon(make_template(new_customer_only=1), self.customer)

	def test_scope_by_category_and_area(self):
		item_category = frappe.db.get_value("HS Service Item", self.corner.item, "category")
		self.assertEqual(self.discount(make_template(service_category=item_category)), Decimal("10.00"))
		with self.assertRaisesRegex(CouponError, "only for"):
			self.discount(make_template(service_category=make_category()))
		self.assertEqual(self.discount(make_template(service_area=self.area)), Decimal("10.00"))
		with self.assertRaisesRegex(CouponError, "only be used in"):
			self.discount(make_template(service_area=make_area(lat=10, lng=10, radius_km=1)))

	def test_validity_not_started_and_expired(self):
		later = make_template(
			validity_type="Fixed Dates",
			valid_from=add_days(now_datetime(), 1),
			valid_to=add_days(now_datetime(), 5),
		)
		with self.assertRaisesRegex(CouponError, "can be used from"):
			self.discount(later)
		coupon = coupons.issue_coupon(make_template(), self.customer)
		frappe.db.set_value("HS Customer Coupon", coupon, "valid_to", add_to_date(now_datetime(), hours=-1))
		with self.assertRaisesRegex(CouponUnavailableError, "expired"):
			coupons.coupon_discount(self.customer, coupon, self.quote, self.area)
		self.assertGreaterEqual(coupons.expire_coupons(), 1)
		self.assertEqual(frappe.db.get_value("HS Customer Coupon", coupon, "status"), "Expired")

	def test_ended_or_disabled_offers_are_not_issued_or_used(self):
		template = make_template()
		coupon = coupons.issue_coupon(template, self.customer)
		frappe.db.set_value("HS Coupon Template", template, "enabled", 0)
		with self.assertRaisesRegex(CouponUnavailableError, "withdrawn"):
			coupons.coupon_discount(self.customer, coupon, self.quote, self.area)
		with self.assertRaisesRegex(CouponUnavailableError, "no longer offered"):
			coupons.issue_coupon(template, self.new_customer()[0])

	def test_someone_elses_coupon_is_not_found(self):
		someone, _user = self.new_customer()
		coupon = coupons.issue_coupon(make_template(), someone)
		self.assertRaises(
			frappe.DoesNotExistError, coupons.coupon_discount, self.customer, coupon, self.quote, self.area
		)
		self.assertRaises(
			frappe.DoesNotExistError, coupons.coupon_discount, self.customer, "HS-CC-nope", self.quote, None
		)

	def test_price_never_below_zero(self):
		template = make_template(discount_value=self.total * 10)
		self.assertEqual(self.discount(template), self.total)
		coupon = coupons.issue_coupon(make_template(discount_value=self.total * 10), self.customer)
		offers = checkout.evaluate(self.customer, self.quote, self.area, coupon)
		self.assertEqual(
			(offers.discount_amount, offers.grand_total, offers.max_points), (self.total, ZERO, 0)
		)
		booking = create_booking(
			self.customer, self.address, self.corner.items(), at(self.day, 10), coupon=coupon
		)
		self.assertEqual((money(booking.grand_total), money(booking.discount_amount)), (ZERO, self.total))

	def test_points_need_a_whole_number(self):
		for bad in (-1, "1.5", True, "x"):
			with self.assertRaises(PointsError):
				checkout.evaluate(self.customer, self.quote, self.area, None, bad)


class TestCouponLifecycle(CustomerTestCase):
	def setUp(self):
		super().setUp()
		apply_marketing_settings()

	def coupon(self, **kw) -> str:
		return coupons.issue_coupon(make_template(**kw), self.customer)

	def create(self, hour: int, **kw):
		return create_booking(self.customer, self.address, self.corner.items(), at(self.day, hour), **kw)

	def state(self, coupon: str) -> tuple:
		return tuple(frappe.db.get_value("HS Customer Coupon", coupon, ["status", "booking"]))

	def test_locked_on_create_used_on_payment(self):
		coupon = self.coupon(discount_value=15)
		booking = self.create(10, coupon=coupon)
		self.assertEqual(self.state(coupon), ("Locked", booking.name))
		self.assertEqual(booking.coupon_code, coupon)
		self.assertEqual(money(booking.discount_amount), Decimal("15.00"))
		self.assertEqual(
			money(booking.grand_total), money(booking.items_total) + money(booking.surcharge_total) - 15
		)

		bookings_before = frappe.db.count("HS Booking", {"customer": self.customer})
		with self.assertRaisesRegex(CouponUnavailableError, "already used"):
			self.create(12, coupon=coupon)
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), bookings_before)

		pay(booking)
		self.assertEqual(self.state(coupon), ("Used", booking.name))
		pay_again = checkout.on_booking_paid
		pay_again(booking)  # a repeated notification changes nothing
		self.assertEqual(self.state(coupon), ("Used", booking.name))
		# a paid booking that is cancelled keeps its coupon used
		cancellation.cancel(booking, "test", actor_role="System")
		self.assertEqual(self.state(coupon)[0], "Used")

	def test_returned_when_an_unpaid_booking_is_cancelled(self):
		coupon = self.coupon()
		booking = self.create(10, coupon=coupon)
		cancellation.cancel(booking, "changed my mind")
		self.assertEqual(self.state(coupon), ("Available", None))
		again = self.create(12, coupon=coupon)  # usable again
		self.assertEqual(self.state(coupon), ("Locked", again.name))

	def test_returned_when_the_payment_hold_expires(self):
		coupon = self.coupon()
		booking = self.create(10, coupon=coupon, points=0)
		frappe.db.set_value(
			"HS Booking", booking.name, "payment_deadline", add_to_date(now_datetime(), minutes=-1)
		)
		release_expired_holds()
		self.assertEqual(frappe.db.get_value("HS Booking", booking.name, "status"), Status.CANCELLED)
		self.assertEqual(self.state(coupon), ("Available", None))

	def test_returned_past_its_validity_it_is_expired(self):
		coupon = self.coupon()
		booking = self.create(10, coupon=coupon)
		frappe.db.set_value("HS Customer Coupon", coupon, "valid_to", add_to_date(now_datetime(), minutes=-1))
		cancellation.cancel(booking, "late")
		self.assertEqual(self.state(coupon), ("Expired", None))

	def test_refused_coupon_books_nothing(self):
		someone, _user = self.new_customer()
		theirs = coupons.issue_coupon(make_template(), someone)
		before = frappe.db.count("HS Booking", {"customer": self.customer})
		self.assertRaises(frappe.DoesNotExistError, self.create, 10, coupon=theirs)
		with self.assertRaises(CouponError):
			self.create(10, coupon=self.coupon(min_spend=100000))
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), before)
		self.assertFalse(frappe.db.get_value("HS Customer Coupon", theirs, "booking"))
