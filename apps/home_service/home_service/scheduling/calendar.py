"""What a set of technicians is doing: weekly hours, leave, and the bookings that occupy them.

Loaded with one query per kind for all candidates at once (four queries whatever the number of
technicians) and indexed by day, so checking hundreds of technicians over a week is arithmetic.
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
WEEKDAY_INDEX = {name: i for i, name in enumerate(WEEKDAYS)}
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
	gaps: dict = field(default_factory=dict)  # travel time to a place, memoised per place

	def gap_to(self, lat, lng, settings: SchedulingSettings) -> timedelta:
		key = (lat, lng)
		if key not in self.gaps:
			self.gaps[key] = travel_time(self.latitude, self.longitude, lat, lng, settings)
		return self.gaps[key]


@dataclass
class TechnicianCalendar:
	hours: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))  # seconds
	leave: list[tuple[datetime, datetime]] = field(default_factory=list)
	jobs_by_day: dict[date, list[Job]] = field(default_factory=lambda: defaultdict(list))

	@property
	def jobs(self) -> list[Job]:
		return [job for jobs in self.jobs_by_day.values() for job in jobs]

	def add_job(self, job: Job) -> None:
		self.jobs_by_day[job.start.date()].append(job)

	def works(self, start: datetime, end: datetime) -> bool:
		if start.date() != (end - timedelta(microseconds=1)).date():
			return False
		begin = start.hour * 3600 + start.minute * 60 + start.second
		finish = begin + int((end - start).total_seconds())
		return any(a <= begin and finish <= b for a, b in self.hours.get(start.weekday(), ()))

	def on_leave(self, start: datetime, end: datetime) -> bool:
		return any(a < end and start < b for a, b in self.leave)

	def jobs_on(self, day: date, ignore: str | None = None) -> int:
		return sum(1 for job in self.jobs_by_day.get(day, ()) if job.booking != ignore)

	def clashes(self, start, end, lat, lng, settings: SchedulingSettings, ignore: str | None = None) -> bool:
		day = start.date()
		for nearby in (day - timedelta(days=1), day, day + timedelta(days=1)):
			for job in self.jobs_by_day.get(nearby, ()):
				if job.booking == ignore:
					continue
				gap = job.gap_to(lat, lng, settings)
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
	hours = frappe.qb.DocType("HS Working Hours")
	for parent, weekday, begin, finish in (
		frappe.qb.from_(hours)
		.select(hours.parent, hours.weekday, hours.start_time, hours.end_time)
		.where(hours.parenttype == "HS Technician")
		.where(hours.parent.isin(technicians))
	).run():
		calendars[parent].hours[WEEKDAY_INDEX[weekday]].append(
			(int(to_timedelta(begin).total_seconds()), int(to_timedelta(finish).total_seconds()))
		)
	leave = frappe.qb.DocType("HS Technician Leave")
	for technician, begin, finish in (
		frappe.qb.from_(leave)
		.select(leave.technician, leave.from_datetime, leave.to_datetime)
		.where(leave.technician.isin(technicians))
		.where(leave.status == "Approved")
		.where(leave.from_datetime < end)
		.where(leave.to_datetime > start)
	).run():
		calendars[technician].leave.append((get_datetime(begin), get_datetime(finish)))
	for row in busy_bookings(technicians, start - timedelta(days=1), end + timedelta(days=1), for_update):
		name, status, technician, held, begin, finish, lat, lng = row
		owner = technician if status in ASSIGNED_STATUSES else held
		if owner in calendars:
			calendars[owner].add_job(Job(name, begin, finish, lat, lng))
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
	return list(assigned.run()) + list(held.run())
