"""Working-time arithmetic for service levels: "2 working hours after 17:30 on Saturday" is Monday 10:30.

A `WorkingCalendar` is a daily span (e.g. 09:00–18:00), the weekdays it applies to and a set of holiday
dates. `add_hours(start, hours)` walks forward through working spans only; `working_seconds(a, b)`
counts the working time between two moments. Pure Python, no database: `from_settings()` builds one
from HS Quality Settings.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import frappe
from frappe import _
from frappe.utils import get_time, getdate

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_DAYS = 3660  # a calendar with no working day at all must not loop forever


class CalendarError(frappe.ValidationError):
	pass


@dataclass(frozen=True)
class WorkingCalendar:
	start: time
	end: time
	weekdays: frozenset[int]  # 0 = Monday
	holidays: frozenset[date] = field(default_factory=frozenset)

	def __post_init__(self):
		if self.end <= self.start:
			frappe.throw(_("The working day must end after it starts."), CalendarError)
		if not self.weekdays:
			frappe.throw(_("Choose at least one working day."), CalendarError)

	def is_working_day(self, day: date) -> bool:
		return day.weekday() in self.weekdays and day not in self.holidays

	def span(self, day: date) -> tuple[datetime, datetime] | None:
		"""The working span of `day`, or None on a day off."""
		if not self.is_working_day(day):
			return None
		return datetime.combine(day, self.start), datetime.combine(day, self.end)

	def add_hours(self, moment: datetime, hours: float) -> datetime:
		"""The moment `hours` working hours after `moment` (a start outside working time counts from
		the next working span)."""
		remaining = timedelta(hours=float(hours))
		if remaining < timedelta(0):
			frappe.throw(_("Service levels cannot be negative."), CalendarError)
		day = moment.date()
		for _i in range(MAX_DAYS):
			span = self.span(day)
			if span:
				begin = max(span[0], moment)
				if begin < span[1]:
					available = span[1] - begin
					if remaining <= available:
						return begin + remaining
					remaining -= available
			day += timedelta(days=1)
		frappe.throw(_("No working time found in the next ten years."), CalendarError)

	def working_seconds(self, begin: datetime, finish: datetime) -> int:
		"""Working time between two moments, in whole seconds (0 if `finish` is not after `begin`)."""
		total = timedelta(0)
		day = begin.date()
		while day <= finish.date():
			span = self.span(day)
			if span:
				a, b = max(span[0], begin), min(span[1], finish)
				if b > a:
					total += b - a
			day += timedelta(days=1)
		return int(total.total_seconds())


def from_settings(settings=None) -> WorkingCalendar:
	settings = settings or frappe.get_cached_doc("HS Quality Settings")
	return WorkingCalendar(
		start=get_time(settings.work_start_time or "09:00:00"),
		end=get_time(settings.work_end_time or "18:00:00"),
		weekdays=frozenset(i for i, day in enumerate(WEEKDAYS) if settings.get(f"work_{day}")),
		holidays=parse_holidays(settings.holidays),
	)


def parse_holidays(text: str | None) -> frozenset[date]:
	days = set()
	for line in (text or "").split():
		try:
			days.add(getdate(line.strip()))
		except Exception:
			frappe.throw(_("{0} is not a date (YYYY-MM-DD).").format(line), CalendarError)
	return frozenset(days)
