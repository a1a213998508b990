from decimal import Decimal

from frappe import _
from frappe.tests.utils import FrappeTestCase

from home_service.booking.report.hs_booking_funnel.hs_booking_funnel import execute
from home_service.tests.factories import make_user
from home_service.tests.report_export import FORMATS, exported, header
from home_service.tests.report_fixtures import BookingMaker, review


class TestBookingFunnel(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make = BookingMaker()
		cls.area = make.area
		customer = make.customer()
		day = "1999-05-10 10:00:00"
		paid = {"paid_on": day}
		assigned = {**paid, "assigned_on": day}
		done = {**assigned, "completed_on": day, "status": "Completed"}
		for _i in range(2):  # created only
			make.booking(customer, day)
		make.booking(customer, day, **paid)  # paid, never dispatched
		make.booking(customer, day, **assigned)  # dispatched, not completed
		completed = [make.booking(customer, day, **done) for _i in range(4)]
		review(completed[0], 5)
		review(completed[1], 3)
		make.booking(customer, "1999-06-01 10:00:00", **done)  # outside the range

	def test_counts_and_conversions(self):
		columns, rows, _m, chart = execute(
			{"from_date": "1999-05-01", "to_date": "1999-05-31", "service_area": self.area}
		)
		self.assertEqual(
			[(r.bookings, r.of_created, r.from_previous) for r in rows],
			[
				(8, Decimal("100.00"), None),
				(6, Decimal("75.00"), Decimal("75.00")),
				(5, Decimal("62.50"), Decimal("83.33")),
				(4, Decimal("50.00"), Decimal("80.00")),
				(2, Decimal("25.00"), Decimal("50.00")),
			],
		)
		self.assertEqual(chart["data"]["datasets"][0]["values"], [8, 6, 5, 4, 2])

	def test_empty_range_has_no_conversion(self):
		_c, rows, _m, _ch = execute(
			{"from_date": "1980-01-01", "to_date": "1980-01-02", "service_area": self.area}
		)
		self.assertEqual([(r.bookings, r.of_created) for r in rows], [(0, None)] * 5)

	def test_operations_manager_exports_it_as_csv_and_excel(self):
		filters = {"from_date": "1999-05-01", "to_date": "1999-05-31", "service_area": self.area}
		columns = execute(filters)[0]
		manager = make_user(["HS Operations Manager"])
		for file_format in FORMATS:
			with self.subTest(file_format):
				rows = exported("HS Booking Funnel", filters, manager, file_format)
				self.assertEqual(rows[0], header(columns))
				self.assertEqual(
					rows[1:],
					[
						[_("Bookings Created"), "8", "100.00", ""],
						[_("Bookings Paid"), "6", "75.00", "75.00"],
						[_("Technician Assigned"), "5", "62.50", "83.33"],
						[_("Bookings Completed"), "4", "50.00", "80.00"],
						[_("Bookings Reviewed"), "2", "25.00", "50.00"],
					],
				)
