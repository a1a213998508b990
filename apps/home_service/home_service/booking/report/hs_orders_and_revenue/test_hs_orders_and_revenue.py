from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.report.hs_orders_and_revenue.hs_orders_and_revenue import execute
from home_service.tests.factories import make_category, make_user
from home_service.tests.report_export import FORMATS, exported, header
from home_service.tests.report_fixtures import BookingMaker
from home_service.utils.reports import ReportFilterError


class TestOrdersAndRevenue(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make = BookingMaker()
		cls.area = make.area
		cls.cleaning, cls.repair = make_category(), make_category()
		alice, bob = make.customer(), make.customer()
		paid = {"paid_on": "1999-03-01 10:00:00"}
		# 1999-03-01: two cleaning orders, one paid 100 (refunded 30), one unpaid 80
		make.booking(
			alice,
			"1999-03-01 09:00:00",
			service_category=cls.cleaning,
			source_channel="WeChat Mini Program",
			grand_total=100,
			paid_amount=100,
			refunded_amount=30,
			**paid,
		)
		make.booking(
			bob,
			"1999-03-01 23:59:30",
			service_category=cls.cleaning,
			source_channel="Alipay Mini Program",
			grand_total=80,
			paid_amount=0,
		)
		# 1999-03-02: one repair order paid 250.50
		make.booking(
			bob,
			"1999-03-02 08:00:00",
			service_category=cls.repair,
			source_channel="WeChat Mini Program",
			grand_total=Decimal("250.50"),
			paid_amount=Decimal("250.50"),
			**paid,
		)
		# 1999-04-10: outside March, one paid cleaning order 60
		make.booking(
			alice,
			"1999-04-10 12:00:00",
			service_category=cls.cleaning,
			source_channel="H5",
			grand_total=60,
			paid_amount=60,
			**paid,
		)

	def run_report(self, group_by, from_date="1999-03-01", to_date="1999-04-30"):
		filters = {
			"from_date": from_date,
			"to_date": to_date,
			"group_by": group_by,
			"service_area": self.area,
		}
		columns, rows, _msg, chart, summary = execute(filters)
		return {str(r.group_value): r for r in rows}, summary, chart

	def test_by_day(self):
		rows, summary, chart = self.run_report("Day", to_date="1999-03-31")
		self.assertEqual(sorted(rows), ["1999-03-01", "1999-03-02"])
		day1 = rows["1999-03-01"]
		self.assertEqual((day1.orders, day1.paid_orders), (2, 1))
		self.assertEqual(day1.gmv, Decimal("100.00"))
		self.assertEqual(day1.refunded_amount, Decimal("30.00"))
		self.assertEqual(day1.net_revenue, Decimal("70.00"))
		self.assertEqual(day1.average_order_value, Decimal("100.00"))
		self.assertEqual(rows["1999-03-02"].gmv, Decimal("250.50"))
		totals = {s["label"]: s["value"] for s in summary}
		self.assertEqual(totals["Order Count"], 3)
		self.assertEqual(totals["GMV"], Decimal("350.50"))
		self.assertEqual(totals["Net Revenue"], Decimal("320.50"))
		self.assertEqual(chart["data"]["datasets"][0]["values"], [Decimal("100.00"), Decimal("250.50")])

	def test_by_month_category_channel_and_area(self):
		rows, _s, _c = self.run_report("Month")
		self.assertEqual(
			{k: (r.orders, r.gmv) for k, r in rows.items()},
			{"1999-03": (3, Decimal("350.50")), "1999-04": (1, Decimal("60.00"))},
		)
		rows, _s, _c = self.run_report("Service Category")
		self.assertEqual(
			{k: (r.orders, r.paid_orders, r.gmv) for k, r in rows.items()},
			{self.cleaning: (3, 2, Decimal("160.00")), self.repair: (1, 1, Decimal("250.50"))},
		)
		rows, _s, _c = self.run_report("Source Channel")
		self.assertEqual(
			{k: (r.orders, r.gmv) for k, r in rows.items()},
			{
				"WeChat Mini Program": (2, Decimal("350.50")),
				"Alipay Mini Program": (1, Decimal("0.00")),
				"H5": (1, Decimal("60.00")),
			},
		)
		rows, _s, _c = self.run_report("Service Area")
		self.assertEqual(list(rows), [self.area])
		row = rows[self.area]
		self.assertEqual((row.orders, row.paid_orders, row.gmv), (4, 3, Decimal("410.50")))
		self.assertEqual(row.district, frappe.db.get_value("HS Service Area", self.area, "district"))

	def test_bad_filters_are_refused(self):
		with self.assertRaises(ReportFilterError):
			execute({"from_date": "1999-03-02", "to_date": "1999-03-01"})
		with self.assertRaises(ReportFilterError):
			execute({"group_by": "Weekday"})

	def test_finance_exports_it_as_csv_and_excel(self):
		filters = {"from_date": "1999-03-01", "to_date": "1999-03-31", "group_by": "Day"}
		filters["service_area"] = self.area
		columns = execute(filters)[0]
		finance = make_user(["HS Finance"])
		for file_format in FORMATS:
			with self.subTest(file_format):
				rows = exported("HS Orders and Revenue", filters, finance, file_format)
				self.assertEqual(rows[0], header(columns))
				self.assertEqual(
					rows[1:],
					[
						["1999-03-01", "2", "1", "100.00", "100.00", "30.00", "70.00", "100.00"],
						["1999-03-02", "1", "1", "250.50", "250.50", "0.00", "250.50", "250.50"],
					],
				)
