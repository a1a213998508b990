from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_technician, make_user
from home_service.tests.report_export import FORMATS, exported, header
from home_service.tests.report_fixtures import BookingMaker, complaint, review
from home_service.workforce.report.hs_technician_performance.hs_technician_performance import execute

FILTERS = {"from_date": "1999-07-01", "to_date": "1999-07-31"}


class TestTechnicianPerformance(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make = BookingMaker()
		cls.tech = make_technician(areas=[make.area])
		customer = make.customer()
		window_end = "1999-07-05 12:00:00"

		def job(arrived_on, completed_on="1999-07-05 13:00:00"):
			return make.booking(
				customer,
				"1999-07-04 09:00:00",
				technician=cls.tech,
				status="Completed",
				paid_on="1999-07-04 09:05:00",
				assigned_on="1999-07-04 10:00:00",
				window_end=window_end,
				arrived_on=arrived_on,
				completed_on=completed_on,
			)

		early, exact, late = job("1999-07-05 10:00:00"), job(window_end), job("1999-07-05 12:00:01")
		job(None)  # completed without a recorded arrival: not counted in the on-time rate
		job("1999-07-05 10:00:00", completed_on="1999-08-02 10:00:00")  # completed after the range
		review(early, 5, created="1999-07-06 09:00:00")
		review(exact, 4, created="1999-07-06 09:00:00")
		review(late, 2, created="1999-08-06 09:00:00")  # written after the range
		complaint(late, "1999-07-07 09:00:00")
		for status in ("Accepted", "Accepted", "Accepted", "Rejected", "Expired", "Pending", "Withdrawn"):
			frappe.get_doc(
				{
					"doctype": "HS Dispatch Offer",
					"booking": early,
					"technician": cls.tech,
					"status": status,
					"offered_on": "1999-07-03 08:00:00",
					"expires_on": "1999-07-03 08:01:00",
				}
			).insert(ignore_permissions=True)

	def test_figures_of_one_technician(self):
		_c, rows, _m, chart = execute({**FILTERS, "technician": self.tech})
		self.assertEqual(len(rows), 1)
		row = rows[0]
		self.assertEqual(
			(row.completed, row.arrivals, row.on_time, row.on_time_rate),
			(4, 3, 2, Decimal("66.67")),
		)
		self.assertEqual((row.reviews, row.rating), (2, Decimal("4.50")))
		self.assertEqual(
			(row.offers_received, row.offers_accepted, row.acceptance_rate), (5, 3, Decimal("60.00"))
		)
		self.assertEqual((row.complaints, row.rework_rate), (1, Decimal("25.00")))
		self.assertEqual(chart["data"]["datasets"][0]["values"], [4])

	def test_without_the_technician_filter_the_row_is_the_same(self):
		_c, rows, _m, _ch = execute(FILTERS)
		mine = [r for r in rows if r.technician == self.tech]
		self.assertEqual(len(mine), 1)
		self.assertEqual((mine[0].completed, mine[0].complaints), (4, 1))

	def test_dispatcher_exports_it_as_csv_and_excel(self):
		filters = {**FILTERS, "technician": self.tech}
		columns = execute(filters)[0]
		name = frappe.db.get_value("HS Technician", self.tech, "technician_name")
		dispatcher = make_user(["HS Dispatcher"])
		for file_format in FORMATS:
			with self.subTest(file_format):
				rows = exported("HS Technician Performance", filters, dispatcher, file_format)
				self.assertEqual(rows[0], header(columns))
				self.assertEqual(
					rows[1:],
					[[self.tech, name, "4", "2", "66.67", "2", "4.50", "5", "3", "60.00", "1", "25.00"]],
				)
