"""Arrival windows a customer can really book, with the capacity left in each."""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

from home_service.catalog.pricing import price_line
from home_service.scheduling.calendar import (
	TechnicianCalendar,
	busy_spans,
	calendars_around,
	leave_spans,
	travel_time,
)
from home_service.scheduling.eligibility import Candidate, eligible_technicians
from home_service.scheduling.reach import reach_km
from home_service.scheduling.settings import SchedulingSettings, get_settings
from home_service.workforce.capability import decode_hours


class SchedulingError(frappe.ValidationError):
	http_status_code = 422


@dataclass(frozen=True)
class Job:
	"""What a booking needs from a technician: skills, minutes on site, where; and its category,
	which with the area chooses the dispatch rule (reach.py)."""

	skills: tuple[str, ...]
	duration: timedelta
	service_area: str
	latitude: float | None
	longitude: float | None
	category: str | None = None  # the first item's, as HS Booking.service_category


def job_for(items: list[dict], service_area: str | None, latitude=None, longitude=None) -> Job:
	if not service_area:
		frappe.throw(_("This address is outside our service areas."), SchedulingError)
	lines = [price_line(row) for row in items]
	skills = {
		frappe.get_cached_value("HS Service Item", line.service_item, "required_skill") for line in lines
	}
	minutes = sum(line.duration_minutes for line in lines)
	return Job(
		tuple(sorted(s for s in skills if s)),
		timedelta(minutes=minutes),
		service_area,
		latitude,
		longitude,
		lines[0].category if lines else None,
	)


def candidates_for(
	job: Job,
	on: date | None,
	online_only: bool = False,
	nearest: int | None = None,
	within_km: float | None = None,
) -> list[Candidate]:
	"""Technicians who may take the job (eligibility.py): qualified and within `within_km` of it, by
	default the search radius of the dispatch rule that governs the job, so that slots, holds and
	dispatch agree. With `nearest`, only that many closest to the job."""
	if within_km is None:
		within_km = reach_km(job.service_area, job.category)
	near = (job.latitude, job.longitude)
	limit = nearest if len(job.skills) <= 1 else None  # several skills: the pools are intersected
	pools = [
		eligible_technicians(
			skill, job.service_area, on, online_only, near=near, limit=limit, within_km=within_km
		)
		for skill in job.skills or (None,)
	]
	if len(pools) == 1:
		return pools[0]
	common = set.intersection(*({c.name for c in pool} for pool in pools))
	return [c for c in pools[0] if c.name in common]


def is_free(
	calendar: TechnicianCalendar,
	start: datetime,
	job: Job,
	settings: SchedulingSettings,
	ignore: str | None = None,
	check_hours: bool = True,
) -> bool:
	end = start + job.duration
	if check_hours and not calendar.works(start, end):
		return False
	if calendar.on_leave(start, end):
		return False
	if calendar.jobs_on(start.date(), ignore=ignore) >= settings.daily_cap:
		return False
	return not calendar.clashes(start, end, job.latitude, job.longitude, settings, ignore=ignore)


def windows_for_day(day: date, settings: SchedulingSettings) -> list[tuple[datetime, datetime]]:
	midnight = datetime.combine(day, datetime.min.time())
	windows, start = [], settings.day_start
	while start + settings.window <= settings.day_end:
		windows.append((midnight + start, midnight + start + settings.window))
		start += settings.window
	return windows


def bookable_window(start: datetime, settings: SchedulingSettings, now: datetime | None = None) -> bool:
	now = now or now_datetime()
	return (
		start >= now + settings.min_notice
		and start.date() <= (now + timedelta(days=settings.horizon_days)).date()
	)


def available_slots(job: Job, date_from, date_to, now: datetime | None = None) -> list[dict]:
	"""Every arrival window between the two dates with how many technicians could still take it."""
	settings, now = get_settings(), now or now_datetime()
	first, last = getdate(date_from), getdate(date_to)
	if last < first:
		frappe.throw(_("The end date must not be before the start date."), SchedulingError)
	last = min(last, (now + timedelta(days=settings.horizon_days)).date())
	if (last - first).days > 31:
		frappe.throw(_("Ask for at most 31 days at a time."), SchedulingError)
	days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
	if not days:
		return []
	candidates = candidates_for(job, first)
	origin = datetime.combine(first, datetime.min.time())
	names = [c.name for c in candidates]
	until = origin + timedelta(days=len(days))
	# the same margins as load_calendars: a day either side for bookings
	busy = busy_spans(names, origin, origin - timedelta(days=1), until + timedelta(days=1))
	leave = leave_spans(names, origin, until)
	windows = [
		(day, w)
		for day in days
		for w in windows_for_day(day, settings)
		if bookable_window(w[0], settings, now)
	]
	grid = WindowGrid(windows, origin, int(job.duration.total_seconds() // 60))
	travel: dict = {}  # minutes from a job's place to this job's, per place
	free_sets: dict[int, int] = defaultdict(int)
	for c in candidates:
		free_sets[grid.free(c, busy.get(c.name, ()), leave.get(c.name, ()), job, settings, travel)] += 1
	free = grid.counts(free_sets)
	return [
		{"start": start, "end": end, "capacity": count, "available": count > 0}
		for (_day, (start, end)), count in zip(windows, free, strict=True)
	]


class WindowGrid:
	"""The windows asked for, as bits of one integer per technician: bit i set = free for window i.

	The availability hot path checks every (technician, window) pair; here a technician costs a few
	set operations per job, leave or full day (the windows a job blocks are one bisected range),
	and technicians with the same free windows are counted once. The rules are those of `is_free`:
	within working hours, under the daily cap, clear of leave, and clear of other jobs by the travel
	time between the two places.
	"""

	def __init__(
		self, windows: list[tuple[date, tuple[datetime, datetime]]], origin: datetime, duration: int
	):
		self.origin, self.duration = origin, duration
		self.size = len(windows)
		self.begins = [minutes_between(origin, start) for _day, (start, _end) in windows]
		self.days = [day for day, _w in windows]
		self.day_bits: dict[int, int] = defaultdict(int)  # by days from the origin
		for i, day in enumerate(self.days):
			self.day_bits[(day - origin.date()).days] |= 1 << i
		self.of_day = [(start.hour * 60 + start.minute, start.weekday()) for _day, (start, _end) in windows]
		self._hours: dict = {}
		self._certs: dict = {}

	def free(self, candidate: Candidate, jobs, leave, job: Job, settings, travel: dict) -> int:
		"""`jobs`: (start, end, latitude, longitude) in microseconds from the origin (`busy_spans`)."""
		hours = decode_hours(candidate.weekly_hours)
		mask = self.within_hours(hours) & self.certified(candidate.certificates_valid_until)
		if not mask:
			return 0
		per_day: dict[int, int] = defaultdict(int)
		for begin, finish, lat, lng in jobs:
			per_day[begin // DAY] += 1
			gap = travel.get((lat, lng))
			if gap is None:
				gap = travel[(lat, lng)] = int(
					travel_time(lat, lng, job.latitude, job.longitude, settings).total_seconds() // 60
				)
			mask &= ~self.between(begin // MINUTE - self.duration - gap, finish // MINUTE + gap)
		for day, count in per_day.items():
			if count >= settings.daily_cap and day in self.day_bits:
				mask &= ~self.day_bits[day]
		for begin, finish in leave:
			mask &= ~self.between(
				minutes_between(self.origin, begin) - self.duration, minutes_between(self.origin, finish)
			)
		return mask

	def between(self, after: int, before: int) -> int:
		"""Bits of the windows starting strictly after `after` and strictly before `before`."""
		lo, hi = bisect_right(self.begins, after), bisect_left(self.begins, before)
		return ((1 << hi) - (1 << lo)) if hi > lo else 0

	def within_hours(self, hours: dict) -> int:
		"""Windows in which the whole job fits in one span of these weekly hours (in seconds);
		`decode_hours` returns one shared object per pattern, so each pattern is worked out once."""
		if id(hours) not in self._hours:
			mask = 0
			for i, (of_day, weekday) in enumerate(self.of_day):
				if any(
					a // 60 <= of_day and of_day + self.duration <= b // 60 for a, b in hours.get(weekday, ())
				):
					mask |= 1 << i
			self._hours[id(hours)] = (hours, mask)  # keeps `hours` alive so its id stays unique
		return self._hours[id(hours)][1]

	def certified(self, valid_until: date | None) -> int:
		if not valid_until:
			return (1 << self.size) - 1
		if valid_until not in self._certs:
			self._certs[valid_until] = sum(1 << i for i, day in enumerate(self.days) if valid_until >= day)
		return self._certs[valid_until]

	def counts(self, free_sets: dict[int, int]) -> list[int]:
		counts = [0] * self.size
		for mask, technicians in free_sets.items():
			while mask:
				low = mask & -mask
				counts[low.bit_length() - 1] += technicians
				mask ^= low
		return counts


MINUTE, DAY = 60_000_000, 86_400_000_000  # microseconds


def minutes_between(origin: datetime, moment: datetime) -> int:
	return int((moment - origin).total_seconds() // 60)


def immediate_window(settings: SchedulingSettings, now: datetime | None = None) -> tuple[datetime, datetime]:
	now = (now or now_datetime()).replace(second=0, microsecond=0)
	return now, now + settings.window


def free_candidates(
	job: Job, start: datetime, immediate: bool = False, ignore: str | None = None
) -> list[Candidate]:
	"""Technicians who could take a job starting at `start` (plain read: advisory, not a reservation)."""
	settings = get_settings()
	candidates = candidates_for(job, get_datetime(start).date(), online_only=immediate)
	calendars = calendars_around(
		[c.name for c in candidates],
		start,
		weekly_hours={c.name: c.weekly_hours for c in candidates},
	)
	return [
		c
		for c in candidates
		if is_free(calendars[c.name], start, job, settings, ignore=ignore, check_hours=not immediate)
	]


def job_for_booking(doc) -> Job:
	skills = {
		frappe.get_cached_value("HS Service Item", row.service_item, "required_skill") for row in doc.items
	}
	return Job(
		tuple(sorted(s for s in skills if s)),
		timedelta(minutes=int(doc.duration_minutes or 0)),
		doc.service_area,
		doc.latitude,
		doc.longitude,
		doc.service_category,
	)
