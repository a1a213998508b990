"""Booking funnel: of the bookings created in a date range, how many were paid, dispatched (a
technician assigned), completed and reviewed; each step as a count, a share of the created bookings
and a conversion from the step before.
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum

from home_service.booking.lifecycle import Status
from home_service.utils.reports import date_range, day_bounds, percent

STEPS = ("Created", "Paid", "Dispatched", "Completed", "Reviewed")
LABELS = {
	"Created": "Bookings Created",
	"Paid": "Bookings Paid",
	"Dispatched": "Technician Assigned",
	"Completed": "Bookings Completed",
	"Reviewed": "Bookings Reviewed",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	counts = get_counts(filters)
	rows, previous = [], None
	for step in STEPS:
		count = counts[step]
		rows.append(
			frappe._dict(
				step=_(LABELS[step]),
				bookings=count,
				of_created=percent(count, counts["Created"]),
				from_previous=percent(count, previous) if previous is not None else None,
			)
		)
		previous = count
	chart = {
		"data": {
			"labels": [row.step for row in rows],
			"datasets": [{"name": _("Bookings"), "values": [row.bookings for row in rows]}],
		},
		"type": "bar",
	}
	return get_columns(), rows, None, chart


def get_columns() -> list[dict]:
	return [
		{"fieldname": "step", "label": _("Funnel Step"), "fieldtype": "Data", "width": 140},
		{"fieldname": "bookings", "label": _("Bookings"), "fieldtype": "Int", "width": 110},
		{"fieldname": "of_created", "label": _("% of Created"), "fieldtype": "Percent", "width": 120},
		{"fieldname": "from_previous", "label": _("Conversion from Previous Step"), "fieldtype": "Percent"},
	]


def get_counts(filters) -> dict[str, int]:
	booking = frappe.qb.DocType("HS Booking")
	review = frappe.qb.DocType("HS Review")
	from_date, to_date = date_range(filters)
	reviewed = frappe.qb.from_(review).select(review.booking).where(review.booking.isnotnull())
	query = (
		frappe.qb.from_(booking)
		.select(
			Count(booking.name).as_("created"),
			Sum(Case().when(booking.paid_on.isnotnull(), 1).else_(0)).as_("paid"),
			Sum(Case().when(booking.assigned_on.isnotnull(), 1).else_(0)).as_("dispatched"),
			Sum(
				Case()
				.when(booking.completed_on.isnotnull() | (booking.status == Status.COMPLETED), 1)
				.else_(0)
			).as_("completed"),
			Sum(Case().when(booking.name.isin(reviewed), 1).else_(0)).as_("reviewed"),
		)
		.where(booking.creation.between(*day_bounds(from_date, to_date)))
	)
	for field in ("service_area", "service_category", "source_channel"):
		if filters.get(field):
			query = query.where(booking[field] == filters[field])
	row = query.run(as_dict=True)[0]
	return {
		"Created": int(row.created or 0),
		"Paid": int(row.paid or 0),
		"Dispatched": int(row.dispatched or 0),
		"Completed": int(row.completed or 0),
		"Reviewed": int(row.reviewed or 0),
	}
