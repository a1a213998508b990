"""Scheduling settings read once per call from HS Settings (a cached single)."""

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import frappe
from frappe.utils import cint, flt, to_timedelta


@dataclass(frozen=True)
class SchedulingSettings:
	window: timedelta
	min_notice: timedelta
	horizon_days: int
	hold: timedelta
	daily_cap: int
	travel_buffer: timedelta
	day_start: timedelta
	day_end: timedelta
	speed_kmh: float


def get_settings() -> SchedulingSettings:
	s = frappe.get_cached_doc("HS Settings")
	return _settings(
		s.window_hours,
		s.min_notice_hours,
		s.booking_horizon_days,
		s.payment_hold_minutes,
		s.daily_cap_per_technician,
		s.travel_buffer_minutes,
		s.day_start_time,
		s.day_end_time,
		s.travel_speed_kmh,
	)


@lru_cache(maxsize=16)
def _settings(
	window_hours,
	min_notice_hours,
	horizon_days,
	hold_minutes,
	daily_cap,
	buffer_minutes,
	day_start,
	day_end,
	speed,
) -> SchedulingSettings:
	# a pure function of the stored values, remembered: a booking reads the settings several times,
	# and parsing the day's start and end times is most of the cost
	return SchedulingSettings(
		window=timedelta(hours=cint(window_hours) or 2),
		min_notice=timedelta(hours=flt(min_notice_hours)),
		horizon_days=cint(horizon_days) or 14,
		hold=timedelta(minutes=cint(hold_minutes) or 15),
		daily_cap=cint(daily_cap) or 8,
		travel_buffer=timedelta(minutes=cint(buffer_minutes)),
		day_start=to_timedelta(day_start or "08:00:00"),
		day_end=to_timedelta(day_end or "20:00:00"),
		speed_kmh=flt(speed) or 25.0,
	)
