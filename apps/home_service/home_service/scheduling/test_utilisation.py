# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Technician utilisation on known data: working hours less approved leave, booked time inside them."""

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.dispatch.dashboard_chart_source.hs_technician_utilisation.hs_technician_utilisation import (
	get as chart_data,
)
from home_service.scheduling.utilisation import utilisation
from home_service.tests.factories import make_area, make_technician, make_user
from home_service.tests.report_fixtures import BookingMaker

DAY = "2031-03-04"  # a Tuesday


def hours(*spans: tuple[str, str], weekday: str = "Tuesday") -> list[dict]:
	return [{"weekday": weekday, "start_time": begin, "end_time": end} for begin, end in spans]


class TestTechnicianUtilisation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.area = make_area()
		elsewhere = make_area()
		# A: 09-17 (480 min), booked 10:00-12:00 (two overlapping jobs), 13:00-14:30, 16:30-17:00 of
		# a job running to 18:00; a cancelled job and the next day's job do not count: 240 min, 50 %
		cls.a = make_technician(areas=[cls.area], hours=hours(("09:00:00", "17:00:00")))
		# B: 08-12 and 13-18 (540 min), approved leave 15-18 (360 min left; a pending leave changes
		# nothing), booked 11-14 across the lunch break (120 min in working time) and 15-16 on leave
		cls.b = make_technician(
			areas=[cls.area], hours=hours(("08:00:00", "12:00:00"), ("13:00:00", "18:00:00"))
		)
		# not shown: C works on Wednesdays only, D in another area, E is suspended, F is on leave all day
		cls.c = make_technician(areas=[cls.area], hours=hours(("09:00:00", "17:00:00"), weekday="Wednesday"))
		cls.d = make_technician(areas=[elsewhere], hours=hours(("09:00:00", "17:00:00")))
		cls.e = make_technician(
			areas=[cls.area], hours=hours(("09:00:00", "17:00:00")), review_status="Suspended"
		)
		cls.f = make_technician(areas=[cls.area], hours=hours(("09:00:00", "17:00:00")))
		for technician, begin, end, status in (
			(cls.b, "15:00", "18:00", "Approved"),
			(cls.b, "08:00", "10:00", "Pending"),
			(cls.f, "00:00", "23:59", "Approved"),
		):
			frappe.get_doc(
				{
					"doctype": "HS Technician Leave",
					"technician": technician,
					"status": status,
					"from_datetime": f"{DAY} {begin}:00",
					"to_datetime": f"{DAY} {end}:00",
				}
			).insert(ignore_permissions=True)
		make = BookingMaker()
		customer = make.customer()
		for technician, begin, end, status in (
			(cls.a, f"{DAY} 10:00", f"{DAY} 11:30", Status.COMPLETED),
			(cls.a, f"{DAY} 11:00", f"{DAY} 12:00", Status.ASSIGNED),
			(cls.a, f"{DAY} 13:00", f"{DAY} 14:30", Status.IN_SERVICE),
			(cls.a, f"{DAY} 16:30", f"{DAY} 18:00", Status.ON_THE_WAY),
			(cls.a, f"{DAY} 14:30", f"{DAY} 16:30", Status.CANCELLED),
			(cls.a, "2031-03-05 10:00", "2031-03-05 12:00", Status.ASSIGNED),
			(cls.b, f"{DAY} 11:00", f"{DAY} 14:00", Status.AWAITING_CONFIRMATION),
			(cls.b, f"{DAY} 15:00", f"{DAY} 16:00", Status.ASSIGNED),
			(cls.d, f"{DAY} 10:00", f"{DAY} 12:00", Status.ASSIGNED),
		):
			make.booking(
				customer,
				f"{DAY} 08:00:00",
				technician=technician,
				status=status,
				window_start=f"{begin}:00",
				service_end=f"{end}:00",
			)

	def test_booked_share_of_working_time_per_technician(self):
		rows = {r.technician: r for r in utilisation(frappe.utils.getdate(DAY), self.area)}
		self.assertEqual(
			(rows[self.a].working_minutes, rows[self.a].booked_minutes, rows[self.a].utilisation),
			(480, 240, 50.0),
		)
		self.assertEqual(
			(rows[self.b].working_minutes, rows[self.b].booked_minutes, rows[self.b].utilisation),
			(360, 120, 33.3),
		)
		for absent in (self.c, self.d, self.e, self.f):
			self.assertNotIn(absent, rows)

	def test_the_chart_shows_the_busiest_first_for_its_date_and_area(self):
		names = dict(frappe.get_all("HS Technician", fields=["name", "technician_name"], as_list=True))
		dispatcher = make_user(["HS Dispatcher"])
		with self.set_user(dispatcher):
			data = chart_data(
				chart_name="Technician Utilisation", filters={"date": DAY, "service_area": self.area}
			)
		self.assertEqual(data["labels"][:2], [names[self.a], names[self.b]])
		self.assertEqual(data["datasets"][0]["values"][:2], [50.0, 33.3])
		self.assertEqual(set(data["datasets"][0]["values"][2:]), {0.0} if len(data["labels"]) > 2 else set())
		self.assertNotIn(names[self.d], data["labels"])

	def test_a_customer_cannot_read_it(self):
		customer = make_user(["HS Customer"], user_type="Website User")
		with self.set_user(customer):
			self.assertRaises(frappe.PermissionError, chart_data, filters={"date": DAY})

	def test_the_workspace_chart_uses_this_source(self):
		chart = frappe.get_doc("Dashboard Chart", "Technician Utilisation")
		self.assertEqual(
			(chart.chart_type, chart.source, chart.type), ("Custom", "HS Technician Utilisation", "Bar")
		)
		self.assertTrue(frappe.db.exists("Dashboard Chart Source", "HS Technician Utilisation"))
