"""Benchmark: candidate selection + scoring, and availability, as the technician count grows.

    bench-config/bench --site home.localhost execute home_service.benchmarks.dispatch.run

Everything it adds is deleted again at the end. Targets (issue 3): ranking one booking among 10,000
technicians p95 < 50 ms, printed as a ratio to a plain indexed frappe.get_all of the area's
technicians; availability over 7 days with ~500 qualified technicians p95 < 150 ms.
"""

from datetime import datetime, time, timedelta

import frappe
from frappe.utils import now_datetime

from home_service.benchmarks.city import SyntheticCity
from home_service.benchmarks.timing import measure
from home_service.dispatch.engine import DEFAULT_RULE, ranked_candidates
from home_service.scheduling.availability import available_slots, candidates_for, job_for

STEPS = (1000, 2500, 5000, 10000)


def run(steps: str | None = None) -> None:
	sizes = [int(s) for s in steps.split(",")] if steps else list(STEPS)
	city = None
	try:
		city = SyntheticCity()
		area = city.areas[0]
		item = frappe.get_all(
			"HS Service Item",
			filters={"pricing_model": "Fixed", "is_active": 1, "required_skill": ("is", "set")},
			fields=["name", "required_skill"],
			limit=1,
		)[0]
		booking = probe_booking(city, area, item)
		job = job_for([{"service_item": item.name}], area.name, area.center_latitude, area.center_longitude)
		print(f"area {area.name}, skill {item.required_skill}, item {item.name}")
		print(
			f"{'technicians':>11} {'qualified':>9} {'rank p50':>9} {'rank p95':>9} {'get_all p95':>11} {'ratio':>6} {'slots7d p95':>11}"
		)
		for size in sizes:
			city.add_technicians(size - city.count)
			qualified = len(candidates_for(job, booking.window_start.date()))
			ranking = measure(lambda: ranked_candidates(booking, DEFAULT_RULE))
			baseline = measure(
				lambda: frappe.get_all(
					"HS Technician",
					filters=[["HS Technician Area", "service_area", "=", area.name]],
					fields=["name"],
					limit_page_length=0,
				)
			)
			today = now_datetime().date()
			slots = measure(
				lambda: available_slots(job, today + timedelta(days=1), today + timedelta(days=7)), runs=20
			)
			print(
				f"{size:>11} {qualified:>9} {ranking['p50']:>8.1f}ms {ranking['p95']:>8.1f}ms {baseline['p95']:>10.1f}ms"
				f" {ranking['p95'] / baseline['p95']:>5.1f}x {slots['p95']:>10.1f}ms"
			)
	finally:
		frappe.db.rollback()
		from home_service.benchmarks.city import remove

		remove()
		print("synthetic technicians and bookings removed: the site is as it was")


def probe_booking(city, area, item):
	start = datetime.combine(now_datetime().date() + timedelta(days=2), time(10, 0))
	doc = frappe.get_doc(
		{
			"doctype": "HS Booking",
			"customer": city.customer,
			"address": city.address,
			"items": [{"service_item": item.name, "quantity": 1}],
			"window_start": start,
			"service_area": area.name,
			"latitude": area.center_latitude,
			"longitude": area.center_longitude,
			"duration_minutes": frappe.db.get_value("HS Service Item", item.name, "duration_minutes"),
		}
	)
	doc.name = "BENCH-PROBE"
	return doc
