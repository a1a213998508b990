# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The customer's coupon and points methods, called as the customer."""

import frappe

from home_service.api.customer import bookings, marketing
from home_service.marketing import coupons, points
from home_service.marketing.errors import CouponUnavailableError, PointsError
from home_service.tests.customer_fixtures import CustomerTestCase, api
from home_service.tests.marketing_fixtures import apply_marketing_settings, make_template
from home_service.tests.scheduling_fixtures import at
from home_service.utils.text import InvalidInputError


class TestMarketingApi(CustomerTestCase):
	def setUp(self):
		super().setUp()
		apply_marketing_settings()
		# what the site's event coupons (e.g. a registration coupon) gave the customer when it was made
		self.welcome = set(frappe.get_all("HS Customer Coupon", {"customer": self.customer}, pluck="name"))

	def test_claim_list_and_limit(self):
		template = make_template(discount_value=20, quota=5)
		hidden = make_template(claimable=0)
		with self.as_customer():
			offered = {
				row["template"]: row for row in marketing.list_claimable_coupons(page_size=50)["items"]
			}
			self.assertIn(template, offered)
			self.assertNotIn(hidden, offered)
			self.assertEqual((offered[template]["amount_off"], offered[template]["remaining"]), ("20.00", 5))
			self.assertTrue(offered[template]["can_claim"])
			claimed = api("customer.marketing.claim_coupon", template=template)
			self.assertEqual(claimed["status"], "Available")
			with self.assertRaisesRegex(CouponUnavailableError, "already have"):
				api("customer.marketing.claim_coupon", template=template)
			self.assertRaises(
				frappe.DoesNotExistError, api, "customer.marketing.claim_coupon", template=hidden
			)
			offered = {
				row["template"]: row for row in marketing.list_claimable_coupons(page_size=50)["items"]
			}
			self.assertFalse(offered[template]["can_claim"])
			mine = marketing.list_my_coupons(status="Available")
			self.assertEqual(
				[row["coupon"] for row in mine["items"] if row["coupon"] not in self.welcome],
				[claimed["coupon"]],
			)
			self.assertEqual(marketing.list_my_coupons(status="Used")["total"], 0)
			self.assertRaises(InvalidInputError, marketing.list_my_coupons, status="available; drop")

	def test_quote_and_book_with_a_coupon_and_points(self):
		coupon = coupons.issue_coupon(make_template(discount_value=10), self.customer)
		points.post(self.customer, 1000, "Adjustment", f"test:{self.customer}")
		window = str(at(self.day, 10))
		with self.as_customer():
			plain = bookings.get_quote(items=self.corner.items(), address=self.address, window_start=window)
			quote = bookings.get_quote(
				items=self.corner.items(),
				address=self.address,
				window_start=window,
				coupon=coupon,
				points=500,
			)
			self.assertEqual(quote["total_before_deductions"], plain["grand_total"])
			self.assertEqual([d["type"] for d in quote["deductions"]], ["Coupon", "Points"])
			self.assertEqual(quote["deductions"][1]["amount"], "-5.00")
			expected = f"{float(plain['grand_total']) - 15:.2f}"
			self.assertEqual(quote["grand_total"], expected)
			with self.assertRaises(PointsError):
				bookings.get_quote(
					items=self.corner.items(), address=self.address, window_start=window, points=5000
				)
			created = api(
				"customer.bookings.create_booking",
				items=self.corner.items(),
				address=self.address,
				window_start=window,
				idempotency_key="mkt-key-0001",
				coupon=coupon,
				points=500,
			)
			self.assertEqual(
				(created["grand_total"], created["coupon"], created["points_used"]), (expected, coupon, 500)
			)
			self.assertEqual(marketing.points_balance()["balance"], 500)
			history = marketing.points_history()
			self.assertEqual([row["points"] for row in history["items"]], [-500, 1000])
			self.assertEqual(
				marketing.list_my_coupons(status="Locked")["items"][0]["booking"], created["booking"]
			)

	def test_someone_elses_coupon_answers_not_found(self):
		someone, _user = self.new_customer()
		theirs = coupons.issue_coupon(make_template(), someone)
		with self.as_customer():
			self.assertRaises(
				frappe.DoesNotExistError,
				bookings.get_quote,
				items=self.corner.items(),
				address=self.address,
				window_start=str(at(self.day, 10)),
				coupon=theirs,
			)
			listed = marketing.list_my_coupons(page_size=50)
			self.assertEqual({row["coupon"] for row in listed["items"]}, self.welcome)
			self.assertEqual(listed["total"], len(self.welcome))

	def test_customers_read_only_their_own_rows(self):
		someone, _user = self.new_customer()
		theirs = coupons.issue_coupon(make_template(), someone)
		mine = coupons.issue_coupon(make_template(), self.customer)
		points.post(someone, 10, "Adjustment", f"test:{someone}")
		with self.as_customer():
			self.assertEqual(set(frappe.get_list("HS Customer Coupon", pluck="name")), {mine} | self.welcome)
			self.assertFalse(frappe.has_permission("HS Customer Coupon", "read", theirs))
			self.assertEqual(frappe.get_list("HS Points Entry", pluck="name"), [])
			self.assertFalse(frappe.has_permission("HS Customer Coupon", "write", mine))

	def test_points_balance_shows_what_expires_soon(self):
		entry = points.post(self.customer, 80, "Adjustment", f"test:soon:{self.customer}")
		frappe.db.set_value(
			"HS Points Entry", entry, "expires_on", frappe.utils.add_days(frappe.utils.nowdate(), 5)
		)
		points.post(self.customer, 20, "Adjustment", f"test:later:{self.customer}")
		with self.as_customer():
			data = marketing.points_balance()
		self.assertEqual((data["balance"], data["value"], data["expiring_within_30_days"]), (100, "1.00", 80))
