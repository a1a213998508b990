# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Working-time arithmetic: 09:00–18:00 Monday to Saturday unless a test says otherwise."""

from datetime import date, datetime, time

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.quality.working_calendar import CalendarError, WorkingCalendar, from_settings

MON_SAT = frozenset(range(6))
# 2026-11-23 is a Monday
MON, FRI, SAT, SUN = date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29)


def at(day: date, hour: int, minute: int = 0) -> datetime:
	return datetime.combine(day, time(hour, minute))


class TestWorkingCalendar(FrappeTestCase):
	def setUp(self):
		self.cal = WorkingCalendar(time(9), time(18), MON_SAT)

	def test_within_one_day(self):
		self.assertEqual(self.cal.add_hours(at(MON, 10), 2), at(MON, 12))
		self.assertEqual(self.cal.add_hours(at(MON, 16), 2), at(MON, 18))  # ends exactly at closing
		self.assertEqual(self.cal.add_hours(at(MON, 10, 15), 0.5), at(MON, 10, 45))

	def test_carries_over_the_night(self):
		self.assertEqual(self.cal.add_hours(at(MON, 17), 2), at(date(2026, 11, 24), 10))

	def test_starts_outside_working_time(self):
		self.assertEqual(self.cal.add_hours(at(MON, 7), 1), at(MON, 10))  # before opening
		self.assertEqual(self.cal.add_hours(at(MON, 20), 1), at(date(2026, 11, 24), 10))  # after closing
		self.assertEqual(self.cal.add_hours(at(SUN, 12), 2), at(date(2026, 11, 30), 11))  # day off

	def test_skips_the_weekend_and_holidays(self):
		self.assertEqual(self.cal.add_hours(at(SAT, 17, 30), 2), at(date(2026, 11, 30), 10, 30))
		holiday = WorkingCalendar(time(9), time(18), MON_SAT, frozenset({date(2026, 11, 30)}))
		self.assertEqual(holiday.add_hours(at(SAT, 17, 30), 2), at(date(2026, 12, 1), 10, 30))

	def test_many_days(self):
		# 24 working hours from Friday 09:00 = Fri 9h + Sat 9h + Mon 6h → Monday 15:00
		self.assertEqual(self.cal.add_hours(at(FRI, 9), 24), at(date(2026, 11, 30), 15))
		self.assertEqual(self.cal.add_hours(at(FRI, 9), 0), at(FRI, 9))

	def test_working_seconds_is_the_inverse(self):
		start = at(SAT, 17, 30)
		for hours in (0.25, 2, 9, 24, 50):
			with self.subTest(hours=hours):
				end = self.cal.add_hours(start, hours)
				self.assertEqual(self.cal.working_seconds(start, end), int(hours * 3600))
		self.assertEqual(self.cal.working_seconds(at(MON, 12), at(MON, 11)), 0)

	def test_invalid_calendars_are_refused(self):
		self.assertRaises(CalendarError, WorkingCalendar, time(18), time(9), MON_SAT)
		self.assertRaises(CalendarError, WorkingCalendar, time(9), time(18), frozenset())
		self.assertRaises(CalendarError, self.cal.add_hours, at(MON, 9), -1)

	def test_built_from_settings(self):
		settings = frappe._dict(
			work_start_time="08:30:00",
			work_end_time="12:00:00",
			work_monday=1,
			work_sunday=1,
			holidays="2026-11-30\n",
		)
		cal = from_settings(settings)
		self.assertEqual((cal.start, cal.end, cal.weekdays), (time(8, 30), time(12), frozenset({0, 6})))
		# Sunday 11:00 + 2h: 1h on Sunday, Monday 30th is a holiday, next Sunday 08:30 + 1h
		self.assertEqual(cal.add_hours(at(SUN, 11), 2), at(date(2026, 12, 6), 9, 30))
		self.assertRaises(CalendarError, from_settings, frappe._dict(settings, holidays="someday"))
