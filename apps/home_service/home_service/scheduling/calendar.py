"""What a set of technicians is doing: weekly hours, leave, and the bookings that occupy them.

Everything is loaded with one query per kind for all candidates at once, so checking hundreds of
technicians over a week costs four queries, not four per technician.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import get_datetime, now_datetime, to_timedelta

from home_service.booking.lifecycle import Status
from home_service.scheduling.settings import SchedulingSettings
from home_service.utils.geo import haversine_km

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# statuses in which the assigned technician's time is taken
ASSIGNED_STATUSES = (
	Status.ASSIGNED,
	Status.ON_THE_WAY,
	Status.ARRIVED,
	Status.IN_SERVICE,
	Status.AWAITING_CONFIRMATION,
	Status.EXCEPTION,
)
# statuses in which a held (not yet assigned) technician's time is reserved
HELD_STATUSES = (Status.PENDING_PAYMENT, Status.PENDING_DISPATCH, Status.OFFERED)


@dataclass
class Job:
	booking: str
	start: datetime
	end: datetime
	latitude: float | None
	longitude: float | None


@dataclass
class TechnicianCalendar:
	hours: dict[str, list[tuple[timedelta, timedelta]]] = field(default_factory=lambda: defaultdict(list))
	leave: list[tuple[datetime, datetime]] = field(default_factory=list)
	jobs: list[Job] = field(default_factory=list)

	def works(self, start: datetime, end: datetime) -> bool:
		if start.date() != (end - timedelta(microseconds=1)).date():
			return False
		begin = timedelta(hours=start.hour, minutes=start.minute, seconds=start.second)
		finish = begin + (end - start)
		return any(a <= begin and finish <= b for a, b in self.hours.get(WEEKDAYS[start.weekday()], ()))

	def on_leave(self, start: datetime, end: datetime) -> bool:
		return any(a < end and start < b for a, b in self.leave)

	def jobs_on(self, day: date, ignore: str | None = None) -> int:
		return sum(1 for job in self.jobs if job.start.date() == day and job.booking != ignore)

	def clashes(self, start, end, lat, lng, settings: SchedulingSettings, ignore: str | None = None) -> bool:
		for job in self.jobs:
			if job.booking == ignore:
				continue
			gap = travel_time(job.latitude, job.longitude, lat, lng, settings)
			if start < job.end + gap and job.start < end + gap:
				return True
		return False


def travel_time(lat1, lng1, lat2, lng2, settings: SchedulingSettings) -> timedelta:
	"""Time to get from one job to the next: distance at the average speed, never below the buffer."""
	if None in (lat1, lng1, lat2, lng2) or not (lat1 or lng1) or not (lat2 or lng2):
		return settings.travel_buffer
	minutes = haversine_km(lat1, lng1, lat2, lng2) / settings.speed_kmh * 60
	return max(settings.travel_buffer, timedelta(minutes=minutes))


def load_calendars(
	technicians: list[str], start: datetime, end: datetime, for_update: bool = False
) -> dict[str, TechnicianCalendar]:
	"""Calendars for `technicians` between `start` and `end` (a day of margin on both sides).

	`for_update` reads bookings with a locking read, which sees rows committed after this transaction
	began; use it while holding the technician's row lock.
	"""
	calendars = {name: TechnicianCalendar() for name in technicians}
	if not technicians:
		return calendars
	for row in frappe.get_all(
		"HS Working Hours",
		filters={"parent": ("in", technicians), "parenttype": "HS Technician"},
		fields=["parent", "weekday", "start_time", "end_time"],
	):
		calendars[row.parent].hours[row.weekday].append(
			(to_timedelta(row.start_time), to_timedelta(row.end_time))
		)
	for row in frappe.get_all(
		"HS Technician Leave",
		filters={
			"technician": ("in", technicians),
			"status": "Approved",
			"from_datetime": ("<", end),
			"to_datetime": (">", start),
		},
		fields=["technician", "from_datetime", "to_datetime"],
	):
		calendars[row.technician].leave.append(
			(get_datetime(row.from_datetime), get_datetime(row.to_datetime))
		)
	for row in busy_bookings(technicians, start - timedelta(days=1), end + timedelta(days=1), for_update):
		owner = (
			row.technician
			if row.technician in calendars and row.status in ASSIGNED_STATUSES
			else row.held_technician
		)
		if owner in calendars:
			calendars[owner].jobs.append(
				Job(
					row.name,
					get_datetime(row.window_start),
					get_datetime(row.service_end),
					row.latitude,
					row.longitude,
				)
			)
	return calendars


def busy_bookings(technicians: list[str], start: datetime, end: datetime, for_update: bool) -> list:
	"""Bookings that occupy these technicians: assigned ones, and unexpired holds.

	Two queries, each served by its (technician | held_technician, window_start) index, so that a
	locking read locks only these technicians' rows.
	"""
	booking = frappe.qb.DocType("HS Booking")
	fields = (
		booking.name,
		booking.status,
		booking.technician,
		booking.held_technician,
		booking.window_start,
		booking.service_end,
		booking.latitude,
		booking.longitude,
	)
	assigned = (
		frappe.qb.from_(booking)
		.select(*fields)
		.where(booking.technician.isin(technicians))
		.where(booking.status.isin(ASSIGNED_STATUSES))
		.where(booking.window_start < end)
		.where(booking.service_end > start)
	)
	held = (
		frappe.qb.from_(booking)
		.select(*fields)
		.where(booking.held_technician.isin(technicians))
		.where(booking.status.isin(HELD_STATUSES))
		.where((booking.status != Status.PENDING_PAYMENT) | (booking.payment_deadline > now_datetime()))
		.where(booking.window_start < end)
		.where(booking.service_end > start)
	)
	if for_update:
		assigned, held = assigned.for_update(), held.for_update()
	return assigned.run(as_dict=True) + held.run(as_dict=True)
