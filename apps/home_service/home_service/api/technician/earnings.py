"""My earnings this month and last month.

For now the figures come from completed bookings (`gross_from_bookings`: the price the customer paid
plus approved extra charges, before commission). When the billing module's ledger exists, point
`earnings_between` at a ledger-based function with the same signature; the endpoint and its response
(which says where the figures come from in `source`) stay as they are.
"""

from datetime import date

import frappe
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, get_first_day, getdate, today

from home_service.api.registry import endpoint
from home_service.api.technician.scope import ROLE, amount, current_technician
from home_service.booking.lifecycle import Status
from home_service.utils.money import money

TAG = "technician/earnings"
SOURCE = "bookings"


@endpoint(roles=ROLE, tag=TAG)
def earnings_summary() -> dict:
	"""Completed jobs and gross amount for this month and last month."""
	technician = current_technician(approved=False)
	this_month = get_first_day(today())
	last_month = add_months(this_month, -1)
	next_month = add_months(this_month, 1)
	return {
		"technician": technician.name,
		"currency": "CNY",
		"source": SOURCE,
		"this_month": earnings_between(technician.name, this_month, next_month),
		"last_month": earnings_between(technician.name, last_month, this_month),
	}


def gross_from_bookings(technician: str, start: date, end: date) -> dict:
	"""Bookings completed by `technician` in [start, end): count and gross amount (exact decimals)."""
	booking = frappe.qb.DocType("HS Booking")
	jobs, gross, extra = (
		frappe.qb.from_(booking)
		.select(Count(booking.name), Sum(booking.grand_total), Sum(booking.extra_total))
		.where(booking.technician == technician)
		.where(booking.status == Status.COMPLETED)
		.where(booking.completed_on >= start)
		.where(booking.completed_on < end)
	).run()[0]
	return {
		"from": str(getdate(start)),
		"to": str(getdate(end)),
		"completed_jobs": int(jobs or 0),
		"gross_amount": amount(money(gross) + money(extra)),
	}


# the one place to switch when the ledger arrives
earnings_between = gross_from_bookings
