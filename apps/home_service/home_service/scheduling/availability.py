"""Arrival windows a customer can really book, with the capacity left in each."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

from home_service.catalog.pricing import price_line
from home_service.scheduling.calendar import TechnicianCalendar, load_calendars
from home_service.scheduling.eligibility import Candidate, eligible_technicians
from home_service.scheduling.settings import SchedulingSettings, get_settings


class SchedulingError(frappe.ValidationError):
	http_status_code = 422


@dataclass(frozen=True)
class Job:
	"""What a booking needs from a technician: skills, minutes on site, where."""

	skills: tuple[str, ...]
	duration: timedelta
	service_area: str
	latitude: float | None
	longitude: float | None


def job_for(items: list[dict], service_area: str | None, latitude=None, longitude=None) -> Job:
	if not service_area:
		frappe.throw(_("This address is outside our service areas."), SchedulingError)
	lines = [price_line(row) for row in items]
	skills = {
		frappe.get_cached_value("HS Service Item", line.service_item, "required_skill") for line in lines
	}
	minutes = sum(line.duration_minutes for line in lines)
	return Job(
		tuple(sorted(s for s in skills if s)), timedelta(minutes=minutes), service_area, latitude, longitude
	)


def candidates_for(
	job: Job, on: date | None, online_only: bool = False, nearest: int | None = None
) -> list[Candidate]:
	"""Qualified technicians for the job; with `nearest`, only that many closest to the job."""
	near = (
		(job.latitude, job.longitude)
		if nearest and job.latitude is not None and len(job.skills) <= 1
		else None
	)
	pools = [
		eligible_technicians(
			skill, job.service_area, on, online_only, near=near, limit=nearest if near else None
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
	calendars = load_calendars([c.name for c in candidates], origin, origin + timedelta(days=len(days)))
	windows = [
		(day, w)
		for day in days
		for w in windows_for_day(day, settings)
		if bookable_window(w[0], settings, now)
	]
	free = [0] * len(windows)
	duration = int(job.duration.total_seconds() // 60)
	keys = [
		(int((start - origin).total_seconds() // 60), start.hour * 60 + start.minute, start.weekday(), day)
		for day, (start, _end) in windows
	]
	for candidate in candidates:
		plan = MinutePlan(calendars[candidate.name], origin, job, settings)
		valid = candidate.certificates_valid_until
		for i, key in enumerate(keys):
			if (not valid or valid >= key[3]) and plan.is_free(key, duration):
				free[i] += 1
	return [
		{"start": start, "end": end, "capacity": count, "available": count > 0}
		for (_day, (start, end)), count in zip(windows, free, strict=True)
	]


class MinutePlan:
	"""One technician's calendar as integer minutes from `origin`: the availability hot loop
	checks thousands of (technician, window) pairs, so it does integer comparisons only."""

	def __init__(
		self, calendar: TechnicianCalendar, origin: datetime, job: Job, settings: SchedulingSettings
	):
		self.origin = origin
		self.hours = {
			weekday: [(a // 60, b // 60) for a, b in spans] for weekday, spans in calendar.hours.items()
		}
		self.leave = [(self.minutes(a), self.minutes(b)) for a, b in calendar.leave]
		self.jobs = [
			(
				self.minutes(j.start),
				self.minutes(j.end),
				int(j.gap_to(job.latitude, job.longitude, settings).total_seconds() // 60),
			)
			for j in calendar.jobs
		]
		self.per_day: dict[date, int] = {}
		for j in calendar.jobs:
			self.per_day[j.start.date()] = self.per_day.get(j.start.date(), 0) + 1
		self.cap = settings.daily_cap

	def minutes(self, moment: datetime) -> int:
		return int((moment - self.origin).total_seconds() // 60)

	def is_free(self, key: tuple[int, int, int, date], duration: int) -> bool:
		"""`key`: (minutes from origin, minute of the day, weekday, date) of the window start."""
		begin, of_day, weekday, day = key
		if not any(a <= of_day and of_day + duration <= b for a, b in self.hours.get(weekday, ())):
			return False
		if self.per_day.get(day, 0) >= self.cap:
			return False
		end = begin + duration
		if any(a < end and begin < b for a, b in self.leave):
			return False
		return not any(begin < j_end + gap and j_start < end + gap for j_start, j_end, gap in self.jobs)


def immediate_window(settings: SchedulingSettings, now: datetime | None = None) -> tuple[datetime, datetime]:
	now = (now or now_datetime()).replace(second=0, microsecond=0)
	return now, now + settings.window


def free_candidates(
	job: Job, start: datetime, immediate: bool = False, ignore: str | None = None
) -> list[Candidate]:
	"""Technicians who could take a job starting at `start` (plain read: advisory, not a reservation)."""
	settings = get_settings()
	candidates = candidates_for(job, get_datetime(start).date(), online_only=immediate)
	calendars = load_calendars(
		[c.name for c in candidates], start - timedelta(hours=12), start + timedelta(hours=36)
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
	)
