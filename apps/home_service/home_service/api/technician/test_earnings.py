# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Earnings: completed jobs this month and last month, exact amounts, only mine."""

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, get_first_day, now_datetime, today

from home_service.api.technician import earnings
from home_service.booking.lifecycle import Status
from home_service.tests.factories import advance
from home_service.tests.technician_fixtures import assigned_booking, technician_with_user


class TestEarnings(FrappeTestCase):
	def completed(self, technician: str, extra: str = "0", when=None):
		doc = advance(assigned_booking(technician), Status.COMPLETED)
		frappe.db.set_value(
			"HS Booking", doc.name, {"extra_total": extra, "completed_on": when or now_datetime()}
		)
		return doc

	def test_this_month_and_last_month(self):
		technician, user = technician_with_user()
		first = self.completed(technician, extra="10.10")
		second = self.completed(technician, extra="0.20")
		last_month = self.completed(technician, when=add_months(get_first_day(today()), -1))
		cancelled = assigned_booking(technician)
		cancelled.transition_to(Status.CANCELLED)
		other, _user = technician_with_user()
		self.completed(other)

		with self.set_user(user):
			summary = earnings.earnings_summary()
		self.assertEqual(summary["source"], "bookings")
		this = summary["this_month"]
		self.assertEqual(this["completed_jobs"], 2)
		expected = sum((Decimal(str(d.grand_total)) for d in (first, second)), Decimal("10.30")).quantize(
			Decimal("0.01")
		)
		self.assertEqual(this["gross_amount"], str(expected))
		self.assertEqual(summary["last_month"]["completed_jobs"], 1)
		self.assertEqual(
			Decimal(summary["last_month"]["gross_amount"]),
			Decimal(str(last_month.grand_total)).quantize(Decimal("0.01")),
		)
