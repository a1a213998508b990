"""Scheduling settings read once per call from HS Settings (a cached single)."""

from dataclasses import dataclass
from datetime import timedelta

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
	return SchedulingSettings(
		window=timedelta(hours=cint(s.window_hours) or 2),
		min_notice=timedelta(hours=flt(s.min_notice_hours)),
		horizon_days=cint(s.booking_horizon_days) or 14,
		hold=timedelta(minutes=cint(s.payment_hold_minutes) or 15),
		daily_cap=cint(s.daily_cap_per_technician) or 8,
		travel_buffer=timedelta(minutes=cint(s.travel_buffer_minutes)),
		day_start=to_timedelta(s.day_start_time or "08:00:00"),
		day_end=to_timedelta(s.day_end_time or "20:00:00"),
		speed_kmh=flt(s.travel_speed_kmh) or 25.0,
	)
