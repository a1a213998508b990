from decimal import Decimal

from frappe.tests.utils import FrappeTestCase

from home_service.booking.report.hs_booking_funnel.hs_booking_funnel import execute
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
