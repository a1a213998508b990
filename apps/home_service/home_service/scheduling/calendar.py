"""What a set of technicians is doing: weekly hours, leave, and the bookings that occupy them.

Loaded for all candidates at once (one query, or two when the weekly hours are not already known,
whatever the number of technicians) and indexed by day, so checking hundreds of technicians over a
week is arithmetic.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import now_datetime

from home_service.scheduling.settings import SchedulingSettings
from home_service.scheduling.statuses import Status
from home_service.utils.geo import haversine_km
from home_service.workforce.capability import WEEKDAY_INDEX, WEEKDAYS, decode_hours

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
# no visit lasts longer (HS Booking refuses one): the scheduling queries can then bound a booking's
# start from below and read a technician's bookings around the days asked, not their whole history
LONGEST_VISIT = timedelta(days=1)


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
	technicians: list[str],
	start: datetime,
	end: datetime,
	for_update: bool = False,
	weekly_hours: dict[str, str] | None = None,
) -> dict[str, TechnicianCalendar]:
	"""Calendars for `technicians` between `start` and `end` (a day of margin on both sides).

	`for_update` reads bookings with a locking read, which sees rows committed after this transaction
	began; use it while holding the technician's row lock. `weekly_hours` (technician → hours encoded
	by the capability read model, as candidate selection returns them) saves the hours query; without
	it the hours come from HS Working Hours.
	"""
	calendars = {name: TechnicianCalendar() for name in technicians}
	if not technicians:
		return calendars
	names = {"names": tuple(technicians)}
	if weekly_hours is not None:
		for name, calendar in calendars.items():
			calendar.hours = decode_hours(weekly_hours.get(name))  # shared, read-only
	else:
		for parent, weekday, begin, finish in frappe.db.sql(
			"""select parent, weekday, time_to_sec(start_time), time_to_sec(end_time)
			from `tabHS Working Hours` where parenttype = 'HS Technician' and parent in %(names)s""",
			names,
		):
			calendars[parent].hours[WEEKDAY_INDEX[weekday]].append((int(begin), int(finish)))
	for kind, name, owner, begin, finish, lat, lng in occupancy(technicians, start, end, for_update):
		if kind == "leave":
			calendars[owner].leave.append((parse_datetime(begin), parse_datetime(finish)))
		elif owner in calendars:
			calendars[owner].add_job(Job(name, parse_datetime(begin), parse_datetime(finish), lat, lng))
	return calendars


def calendars_around(
	technicians: list[str],
	start: datetime,
	for_update: bool = False,
	weekly_hours: dict[str, str] | None = None,
) -> dict[str, TechnicianCalendar]:
	"""Calendars for checking a job that starts at `start`: from the evening before to the next day."""
	return load_calendars(
		technicians,
		start - timedelta(hours=12),
		start + timedelta(hours=36),
		for_update=for_update,
		weekly_hours=weekly_hours,
	)


def parse_datetime(value: str) -> datetime:
	"""A DATETIME read as text: `fromisoformat` is much cheaper than the driver's conversion, which
	matters when a week of bookings for hundreds of technicians is read."""
	return datetime.fromisoformat(value)


def occupancy(technicians: list[str], start: datetime, end: datetime, for_update: bool) -> list:
	"""What occupies these technicians, in one round trip, as (kind, name, technician, start, end,
	latitude, longitude) with the times as text: approved leave between `start` and `end` (kind
	"leave"), and with a day of margin either side the bookings assigned to them and their unexpired
	holds (kind "job").

	Each booking part is served by its (technician | held_technician, window_start) index, so that
	a locking read (`for_update`, the bookings only) locks only these technicians' rows.
	"""
	params = {
		"names": tuple(technicians),
		"start": start,
		"end": end,
		"busy_start": start - timedelta(days=1),
		"busy_end": end + timedelta(days=1),
		"earliest": start - timedelta(days=1) - LONGEST_VISIT,
		"now": now_datetime(),
		"assigned": tuple(ASSIGNED_STATUSES),
		"held": tuple(HELD_STATUSES),
		"pending_payment": Status.PENDING_PAYMENT,
	}
	lock = " for update" if for_update else ""
	job = "'job', name, {0}, cast(window_start as char), cast(service_end as char), latitude, longitude"
	return frappe.db.sql(  # nosemgrep: constant SQL, values are parameters
		f"""(select 'leave', name, technician, cast(from_datetime as char), cast(to_datetime as char),
			null, null
		from `tabHS Technician Leave` where technician in %(names)s and status = 'Approved'
		and from_datetime < %(end)s and to_datetime > %(start)s)
		union all
		(select {job.format("technician")} from `tabHS Booking`
		where technician in %(names)s and status in %(assigned)s
		and window_start < %(busy_end)s and window_start >= %(earliest)s
		and service_end > %(busy_start)s{lock})
		union all
		(select {job.format("held_technician")} from `tabHS Booking`
		where held_technician in %(names)s and status in %(held)s
		and (status != %(pending_payment)s or payment_deadline > %(now)s)
		and window_start < %(busy_end)s and window_start >= %(earliest)s
		and service_end > %(busy_start)s{lock})""",
		params,
	)


def busy_spans(
	technicians: list[str], origin: datetime, start: datetime, end: datetime
) -> dict[str, list[tuple[int, int, float | None, float | None]]]:
	"""For the availability grid: each technician's busy bookings between `start` and `end` as
	(start, end) in microseconds from `origin` with the place, the same bookings `occupancy` reads.

	One row per technician (the bookings concatenated by the database): reading a week of bookings
	for hundreds of technicians row by row costs more in the driver than the query itself.
	"""
	spans: dict[str, list] = defaultdict(list)
	if not technicians:
		return spans
	params = {
		"names": tuple(technicians),
		"origin": origin,
		"start": start,
		"end": end,
		"earliest": start - LONGEST_VISIT,
		"now": now_datetime(),
		"assigned": tuple(ASSIGNED_STATUSES),
		"held": tuple(HELD_STATUSES),
		"pending_payment": Status.PENDING_PAYMENT,
	}
	packed = """group_concat(concat_ws(',', timestampdiff(microsecond, %(origin)s, window_start),
		timestampdiff(microsecond, %(origin)s, service_end), ifnull(latitude, ''), ifnull(longitude, ''))
		separator ';')"""
	rows = frappe.db.sql(  # nosemgrep: constant SQL, values are parameters
		f"""select technician, {packed} from `tabHS Booking`
		where technician in %(names)s and status in %(assigned)s
		and window_start < %(end)s and window_start >= %(earliest)s
		and service_end > %(start)s group by technician
		union all
		select held_technician, {packed} from `tabHS Booking`
		where held_technician in %(names)s and status in %(held)s
		and (status != %(pending_payment)s or payment_deadline > %(now)s)
		and window_start < %(end)s and window_start >= %(earliest)s
		and service_end > %(start)s group by held_technician""",
		params,
	)
	for technician, text in rows:
		for job in text.split(";"):
			begin, finish, lat, lng = job.split(",")
			spans[technician].append(
				(int(begin), int(finish), float(lat) if lat else None, float(lng) if lng else None)
			)
	return spans


def leave_spans(technicians: list[str], start: datetime, end: datetime) -> dict[str, list]:
	"""Approved leave overlapping `start`..`end`, per technician."""
	spans: dict[str, list] = defaultdict(list)
	if technicians:
		for technician, begin, finish in frappe.db.sql(
			"""select technician, cast(from_datetime as char), cast(to_datetime as char)
			from `tabHS Technician Leave` where technician in %(names)s and status = 'Approved'
			and from_datetime < %(end)s and to_datetime > %(start)s""",
			{"names": tuple(technicians), "start": start, "end": end},
		):
			spans[technician].append((parse_datetime(begin), parse_datetime(finish)))
	return spans
