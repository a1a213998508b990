"""Benchmark: candidate selection + scoring, and availability, as the technician count grows.

    bench-config/bench --site SITE execute home_service.benchmarks.dispatch.run \
        --kwargs '{"steps": "1000,2500,5000,10000", "qualified_per_10k": 500}'

Each step grows the demo city with synthetic technicians (benchmarks/city.py) until it has that many,
of whom `size * qualified_per_10k / 10000` are qualified for the probe item in the probe area (500 at
10,000): approved, in the area, with the item's skill. It prints, measured in the same run:
- ranking one booking (candidate selection + calendars + scoring), p50/p95, and its ratio to a plain
  indexed frappe.get_all of the area's technicians;
- availability of the item over 7 days, p50/p95, with the qualified count it ran over;
- how both grow from the first step to the last, and the load average while it ran.
Everything it adds is deleted again at the end. Targets (issue 3): ranking among 10,000 technicians
p95 < 50 ms; availability over 7 days with 500 qualified technicians p95 < 150 ms.
"""

import os
from datetime import datetime, time, timedelta

import frappe
from frappe.utils import now_datetime

from home_service.benchmarks.city import SyntheticCity, remove
from home_service.benchmarks.timing import measure
from home_service.dispatch.engine import DEFAULT_RULE, ranked_candidates
from home_service.scheduling.availability import available_slots, candidates_for, job_for

STEPS = (1000, 2500, 5000, 10000)
RANK_TARGET_MS, SLOTS_TARGET_MS = 50.0, 150.0


def run(steps: str | None = None, qualified_per_10k: int = 500, runs: int = 40) -> None:
	sizes = [int(s) for s in str(steps).split(",")] if steps else list(STEPS)
	results = []
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
		day = booking.window_start.date()
		demo_qualified = len(candidates_for(job, day))
		today = now_datetime().date()
		print(f"area {area.name}, skill {item.required_skill}, item {item.name}; load average {load()}")
		print(
			f"{'technicians':>11} {'qualified':>9} {'rank p50':>9} {'rank p95':>9} {'get_all p95':>11}"
			f" {'ratio':>6} {'slots7d p50':>11} {'slots7d p95':>11}  load"
		)
		for size in sizes:
			wanted = max(0, size * qualified_per_10k // 10000 - demo_qualified - city.focus_count)
			city.add_technicians(
				size - city.count, focus=(area.name, item.required_skill), focus_qualified=wanted
			)
			qualified = len(candidates_for(job, day))
			ranking = measure(lambda: ranked_candidates(booking, DEFAULT_RULE), runs=runs)
			baseline = measure(
				lambda: frappe.get_all(
					"HS Technician",
					filters=[["HS Technician Area", "service_area", "=", area.name]],
					fields=["name"],
					limit_page_length=0,
				),
				runs=runs,
			)
			slots = measure(
				lambda: available_slots(job, today + timedelta(days=1), today + timedelta(days=7)),
				runs=max(runs // 2, 10),
			)
			row = {
				"technicians": city.count,
				"qualified": qualified,
				"rank": ranking,
				"baseline": baseline,
				"ratio": ranking["p95"] / baseline["p95"],
				"slots": slots,
				"load": load(),
			}
			results.append(row)
			print(
				f"{city.count:>11} {qualified:>9} {ranking['p50']:>7.1f}ms {ranking['p95']:>7.1f}ms"
				f" {baseline['p95']:>9.1f}ms {row['ratio']:>5.1f}x {slots['p50']:>9.1f}ms"
				f" {slots['p95']:>9.1f}ms  {row['load']}"
			)
		report(results)
	finally:
		frappe.db.rollback()
		remove()
		print("synthetic technicians and bookings removed: the site is as it was")


def report(results: list[dict]) -> None:
	first, last = results[0], results[-1]
	if len(results) > 1:
		scale = last["technicians"] / first["technicians"]
		print(
			f"growth {first['technicians']}→{last['technicians']} technicians (x{scale:.0f}):"
			f" ranking p95 x{last['rank']['p95'] / first['rank']['p95']:.1f},"
			f" get_all p95 x{last['baseline']['p95'] / first['baseline']['p95']:.1f},"
			f" availability p95 x{last['slots']['p95'] / first['slots']['p95']:.1f}"
			f" (qualified x{last['qualified'] / max(first['qualified'], 1):.1f})"
		)
	print(
		f"targets at {last['technicians']} technicians: ranking p95 {last['rank']['p95']:.1f} ms"
		f" < {RANK_TARGET_MS:.0f} ms {'MET' if last['rank']['p95'] < RANK_TARGET_MS else 'NOT MET'};"
		f" availability p95 {last['slots']['p95']:.1f} ms with {last['qualified']} qualified"
		f" < {SLOTS_TARGET_MS:.0f} ms {'MET' if last['slots']['p95'] < SLOTS_TARGET_MS else 'NOT MET'}"
	)


def load() -> str:
	return " ".join(f"{x:.2f}" for x in os.getloadavg())


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
