"""Technician utilisation on a day: of each technician's working time, how much is booked with service.

Working time is the technician's weekly hours for that weekday less approved leave. Booked time is
the span (window start → service end) of each booking assigned to the technician that day, in the
statuses that take the technician's time as scheduling counts them (scheduling/calendar.py), plus
Completed; it counts only inside working time and never twice when bookings overlap. Three queries
whatever the number of technicians. The "Technician Utilisation" dashboard chart shows it.
"""

from datetime import date, datetime, time, timedelta

import frappe
from frappe.utils import get_datetime

from home_service.scheduling.calendar import ASSIGNED_STATUSES
from home_service.scheduling.statuses import Status
from home_service.workforce.capability import WEEKDAYS

BOOKED_STATUSES = (*ASSIGNED_STATUSES, Status.COMPLETED)
Span = tuple[datetime, datetime]


def utilisation(day: date, service_area: str | None = None) -> list[frappe._dict]:
	"""One row per approved technician who works on `day` (in `service_area`, if given), busiest first:
	technician, technician_name, working_minutes, booked_minutes, utilisation (percent, 1 decimal)."""
	start = datetime.combine(day, time.min)
	end = start + timedelta(days=1)
	working = working_spans(day, service_area)
	for technician, begin, finish in frappe.db.sql(
		"""select technician, from_datetime, to_datetime from `tabHS Technician Leave`
		where technician in %(names)s and status = 'Approved'
		and from_datetime < %(end)s and to_datetime > %(start)s""",
		{"names": tuple(working) or ("",), "start": start, "end": end},
	):
		working[technician] = subtract(working[technician], (get_datetime(begin), get_datetime(finish)))
	booked: dict[str, list[Span]] = {name: [] for name in working}
	for technician, begin, finish in frappe.db.sql(
		"""select technician, window_start, service_end from `tabHS Booking`
		where technician in %(names)s and status in %(statuses)s
		and window_start < %(end)s and service_end > %(start)s""",
		{"names": tuple(working) or ("",), "statuses": BOOKED_STATUSES, "start": start, "end": end},
	):
		booked[technician].append((get_datetime(begin), get_datetime(finish)))
	names = dict(
		frappe.get_all(
			"HS Technician",
			filters={"name": ("in", list(working) or [""])},
			fields=["name", "technician_name"],
			as_list=True,
		)
	)
	rows = []
	for technician, spans in working.items():
		working_minutes = minutes(spans)
		if not working_minutes:
			continue  # on leave all day
		booked_minutes = minutes(intersect(merge(booked[technician]), spans))
		rows.append(
			frappe._dict(
				technician=technician,
				technician_name=names.get(technician) or technician,
				working_minutes=working_minutes,
				booked_minutes=booked_minutes,
				utilisation=round(100 * booked_minutes / working_minutes, 1),
			)
		)
	return sorted(rows, key=lambda r: (-r.utilisation, -r.booked_minutes, r.technician))


def working_spans(day: date, service_area: str | None) -> dict[str, list[Span]]:
	"""Approved technicians' weekly hours on `day`'s weekday, as datetime spans of that day."""
	area = "and exists (select 1 from `tabHS Technician Area` a where a.parent = t.name and a.service_area = %(area)s)"
	rows = frappe.db.sql(  # nosemgrep: constant SQL, values are parameters
		f"""select t.name, time_to_sec(h.start_time), time_to_sec(h.end_time)
		from `tabHS Technician` t join `tabHS Working Hours` h
			on h.parent = t.name and h.parenttype = 'HS Technician' and h.weekday = %(weekday)s
		where t.review_status = 'Approved' {area if service_area else ""}
		order by t.name, h.start_time""",
		{"weekday": WEEKDAYS[day.weekday()], "area": service_area},
	)
	start = datetime.combine(day, time.min)
	spans: dict[str, list[Span]] = {}
	for technician, begin, finish in rows:
		if finish > begin:
			spans.setdefault(technician, []).append(
				(start + timedelta(seconds=int(begin)), start + timedelta(seconds=int(finish)))
			)
	return {name: merge(day_spans) for name, day_spans in spans.items()}


def merge(spans: list[Span]) -> list[Span]:
	"""Sorted, non-overlapping spans covering the same time."""
	merged: list[Span] = []
	for begin, finish in sorted(spans):
		if merged and begin <= merged[-1][1]:
			merged[-1] = (merged[-1][0], max(merged[-1][1], finish))
		else:
			merged.append((begin, finish))
	return merged


def subtract(spans: list[Span], cut: Span) -> list[Span]:
	left = []
	for begin, finish in spans:
		if cut[1] <= begin or finish <= cut[0]:
			left.append((begin, finish))
			continue
		if begin < cut[0]:
			left.append((begin, cut[0]))
		if cut[1] < finish:
			left.append((cut[1], finish))
	return left


def intersect(first: list[Span], second: list[Span]) -> list[Span]:
	"""The time in both lists (each merged)."""
	both = []
	for a_begin, a_end in first:
		for b_begin, b_end in second:
			begin, finish = max(a_begin, b_begin), min(a_end, b_end)
			if begin < finish:
				both.append((begin, finish))
	return both


def minutes(spans: list[Span]) -> int:
	return int(sum((finish - begin).total_seconds() for begin, finish in spans) // 60)
