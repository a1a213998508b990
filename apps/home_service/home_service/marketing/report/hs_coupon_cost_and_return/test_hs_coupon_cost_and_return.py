from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.marketing.coupons import issue_coupon
from home_service.marketing.report.hs_coupon_cost_and_return.hs_coupon_cost_and_return import execute
from home_service.tests.factories import make_user
from home_service.tests.marketing_fixtures import make_template
from home_service.tests.report_export import FORMATS, exported, header
from home_service.tests.report_fixtures import BookingMaker, set_row

FILTERS = {"from_date": "1999-09-01", "to_date": "1999-09-30"}


class TestCouponCostAndReturn(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make = BookingMaker()
		cls.ten_off, cls.twenty_off = make_template(discount_value=10), make_template(discount_value=20)

		def coupon(template, issued_on, used_on=None, discount=None, grand_total=None):
			customer = make.customer()
			name = issue_coupon(template, customer)
			values = {"issued_on": issued_on}
			if used_on:
				booking = make.booking(customer, used_on, grand_total=grand_total, paid_on=used_on)
				values.update(status="Used", used_on=used_on, booking=booking, discount_amount=discount)
			set_row("HS Customer Coupon", name, **values)

		coupon(cls.ten_off, "1999-09-01 08:00:00", "1999-09-02 10:00:00", 10, Decimal("120.50"))
		coupon(cls.ten_off, "1999-09-01 08:00:00", "1999-09-03 10:00:00", 10, 90)
		coupon(cls.ten_off, "1999-09-01 08:00:00")  # issued, never used
		coupon(cls.ten_off, "1999-08-31 08:00:00", "1999-09-04 10:00:00", 10, 60)  # issued before the range
		coupon(cls.twenty_off, "1999-09-05 08:00:00", "1999-10-01 10:00:00", 20, 300)  # used after the range

	def test_cost_and_return_per_template(self):
		_c, rows, _m, _ch, summary = execute(FILTERS)
		mine = {r.template: r for r in rows if r.template in (self.ten_off, self.twenty_off)}
		ten, twenty = mine[self.ten_off], mine[self.twenty_off]
		self.assertEqual((ten.issued, ten.used, ten.usage_rate), (3, 3, Decimal("100.00")))
		self.assertEqual(
			(ten.cost, ten.gmv, ten.return_ratio), (Decimal("30.00"), Decimal("270.50"), Decimal("9.02"))
		)
		self.assertEqual(
			(twenty.issued, twenty.used, twenty.cost, twenty.return_ratio), (1, 0, Decimal("0.00"), None)
		)

	def test_template_filter(self):
		_c, rows, _m, _ch, summary = execute({**FILTERS, "template": self.ten_off})
		self.assertEqual([r.template for r in rows], [self.ten_off])
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual(
			totals,
			{
				"Coupon Cost": Decimal("30.00"),
				"GMV with Coupons": Decimal("270.50"),
				"Return per Yuan": Decimal("9.02"),
			},
		)

	def test_finance_exports_it_as_csv_and_excel(self):
		filters = {**FILTERS, "template": self.ten_off}
		columns = execute(filters)[0]
		name = frappe.db.get_value("HS Coupon Template", self.ten_off, "template_name")
		finance = make_user(["HS Finance"])
		for file_format in FORMATS:
			with self.subTest(file_format):
				rows = exported("HS Coupon Cost and Return", filters, finance, file_format)
				self.assertEqual(rows[0], header(columns))
				self.assertEqual(
					rows[1:], [[self.ten_off, name, "3", "3", "100.00", "30.00", "270.50", "9.02"]]
				)
