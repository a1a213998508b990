# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from home_service.booking.lifecycle import Status
from home_service.marketing import coupons
from home_service.marketing.doctype.hs_coupon_template.hs_coupon_template import issue_to_customers
from home_service.marketing.errors import CouponUnavailableError
from home_service.tests.earnings_fixtures import payout_technician
from home_service.tests.factories import advance, make_booking, make_customer
from home_service.tests.marketing_fixtures import make_template


class TestHSCouponTemplate(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("coupon_template_case")  # templates issued on events must not leak

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="coupon_template_case")

	def test_rules_of_a_template(self):
		for bad in (
			{"discount_value": 0},
			{"discount_type": "Percent", "discount_percent": 0},
			{"discount_type": "Percent", "discount_percent": 120},
			{"min_spend": -1},
			{"validity_type": "Fixed Dates", "valid_to": None},
			{
				"validity_type": "Fixed Dates",
				"valid_from": now_datetime(),
				"valid_to": add_days(now_datetime(), -1),
			},
			{"valid_days": 0},
			{"quota": -1},
			{"per_customer_limit": 0},
		):
			with self.subTest(bad=bad):
				self.assertRaises(frappe.ValidationError, make_template, **bad)

	def test_quota_and_per_customer_limit(self):
		template = make_template(quota=2, per_customer_limit=2)
		first, second, third = make_customer(), make_customer(), make_customer()
		coupons.issue_coupon(template, first)
		coupons.issue_coupon(template, first)
		with self.assertRaisesRegex(CouponUnavailableError, "already have"):
			coupons.issue_coupon(template, first)
		with self.assertRaisesRegex(CouponUnavailableError, "given out"):
			coupons.issue_coupon(template, second)
		doc = frappe.get_doc("HS Coupon Template", template)
		self.assertEqual(doc.issued, 2)
		doc.issued = 0  # the counter is the database's, not the form's
		doc.save()
		self.assertEqual(frappe.db.get_value("HS Coupon Template", template, "issued"), 2)
		doc.quota = 1
		self.assertRaises(frappe.ValidationError, doc.save)
		self.assertFalse(frappe.db.exists("HS Customer Coupon", {"customer": third, "template": template}))

	def test_validity_of_issued_coupons(self):
		days = coupons.issue_coupon(make_template(valid_days=7), make_customer())
		row = frappe.db.get_value("HS Customer Coupon", days, ["valid_from", "valid_to"], as_dict=True)
		self.assertEqual((row.valid_to - row.valid_from).days, 7)
		end = add_days(now_datetime(), 3).replace(microsecond=0)
		fixed = coupons.issue_coupon(
			make_template(validity_type="Fixed Dates", valid_to=end), make_customer()
		)
		self.assertEqual(frappe.db.get_value("HS Customer Coupon", fixed, "valid_to"), end)

	def test_bulk_issue_skips_and_reports(self):
		template = make_template(quota=2)
		mobile_customer = make_customer()
		mobile = frappe.db.get_value("HS Customer", mobile_customer, "mobile_no")
		one = make_customer()
		result = issue_to_customers(template, f"{one}\n{one}\n{mobile}\nHS-CU-nobody\n{make_customer()}")
		self.assertEqual([row["customer"] for row in result["issued"]], [one, mobile_customer])
		self.assertEqual(len(result["skipped"]), 2)
		self.assertEqual(frappe.db.get_value("HS Coupon Template", template, "issued"), 2)

	def test_bulk_issue_needs_write_permission(self):
		template = make_template()
		with self.set_user("Guest"):
			self.assertRaises(frappe.PermissionError, issue_to_customers, template, [make_customer()])

	def test_issued_on_registration_once(self):
		template = make_template(issue_on="Registration", claimable=0)
		customer = make_customer()
		issued = frappe.get_all("HS Customer Coupon", filters={"customer": customer, "template": template})
		self.assertEqual(len(issued), 1)
		coupons.issue_for_event(customer, "Registration", "registration")
		self.assertEqual(
			frappe.db.count("HS Customer Coupon", {"customer": customer, "template": template}), 1
		)
		self.assertEqual(frappe.db.get_value("HS Customer Coupon", issued[0].name, "source"), "Event")

	def test_issued_on_the_first_completed_booking_only(self):
		template = make_template(issue_on="First Completed Booking", claimable=0)
		customer = make_customer()

		def coupons_of_template():
			return frappe.get_all(
				"HS Customer Coupon",
				filters={"customer": customer, "template": template},
				fields=["name", "source", "issue_key"],
			)

		technician = payout_technician()
		first = advance(make_booking(customer=customer), Status.AWAITING_CONFIRMATION, technician=technician)
		self.assertEqual(coupons_of_template(), [])  # not before it is completed
		advance(first, Status.COMPLETED)
		issued = coupons_of_template()
		self.assertEqual(
			[(row.source, row.issue_key) for row in issued],
			[("Event", f"{template}:{customer}:first-completion")],
		)
		first.save(ignore_permissions=True)  # saved again while Completed: no second coupon
		advance(make_booking(customer=customer), Status.COMPLETED, technician=technician)
		self.assertEqual(coupons_of_template(), issued)  # the second completion gives nothing
		self.assertEqual(frappe.db.get_value("HS Coupon Template", template, "issued"), 1)

	def test_registration_survives_a_sold_out_template(self):
		make_template(issue_on="Registration", quota=1)
		make_customer()
		customer = make_customer()  # the second gets none, but registers
		self.assertTrue(frappe.db.exists("HS Customer", customer))

	def test_claim_only_claimable(self):
		template = make_template(claimable=0)
		self.assertRaises(frappe.DoesNotExistError, coupons.claim_coupon, template, make_customer())
