"""Customer activity per acquisition channel over a date range.

- New: customers whose first booking ever falls in the range.
- Active: customers who booked in the range (new + returning).
- Lapsed: customers who booked before but not in the `lapsed_days` days up to To Date.

A booking counts when it is created, whatever became of it. With a service area, only bookings in
that area count (a customer new to the area is new there).
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Max, Min, Sum
from frappe.utils import add_days, cint, get_datetime

from home_service.utils.reports import ReportFilterError, date_range, day_bounds

NOT_SET = "Not Set"


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	summary = [
		{"label": _("New Customers"), "value": sum(r.new for r in rows), "datatype": "Int"},
		{"label": _("Active Customers"), "value": sum(r.active for r in rows), "datatype": "Int"},
		{"label": _("Lapsed Customers"), "value": sum(r.lapsed for r in rows), "datatype": "Int"},
	]
	chart = {
		"data": {
			"labels": [r.acquisition_channel for r in rows],
			"datasets": [
				{"name": _("New Customers"), "values": [r.new for r in rows]},
				{"name": _("Returning Customers"), "values": [r.returning for r in rows]},
				{"name": _("Lapsed Customers"), "values": [r.lapsed for r in rows]},
			],
		},
		"type": "bar",
	}
	return get_columns(), rows, None, chart, summary


def get_columns() -> list[dict]:
	return [
		{"fieldname": "acquisition_channel", "label": _("Acquisition Channel"), "fieldtype": "Data"},
		{"fieldname": "new", "label": _("New Customers"), "fieldtype": "Int", "width": 90},
		{"fieldname": "returning", "label": _("Returning Customers"), "fieldtype": "Int", "width": 100},
		{"fieldname": "active", "label": _("Active Customers"), "fieldtype": "Int", "width": 90},
		{"fieldname": "lapsed", "label": _("Lapsed Customers"), "fieldtype": "Int", "width": 90},
	]


def get_data(filters) -> list:
	from_date, to_date = date_range(filters)
	lapsed_days = cint(filters.get("lapsed_days") or 90)
	if lapsed_days < 1:
		frappe.throw(
			_("Lapsed After (Days) must be at least 1."), ReportFilterError, title=_("Invalid Filters")
		)
	start, end = day_bounds(from_date, to_date)
	cutoff = get_datetime(f"{add_days(to_date, 1 - lapsed_days)} 00:00:00")

	booking = frappe.qb.DocType("HS Booking")
	customer = frappe.qb.DocType("HS Customer")
	query = (
		frappe.qb.from_(booking)
		.join(customer)
		.on(customer.name == booking.customer)
		.select(
			booking.customer,
			customer.acquisition_channel,
			Min(booking.creation).as_("first_booking"),
			Max(booking.creation).as_("last_booking"),
			Sum(Case().when(booking.creation.between(start, end), 1).else_(0)).as_("in_range"),
		)
		.where(booking.creation <= end)
		.groupby(booking.customer, customer.acquisition_channel)
	)
	if filters.get("service_area"):
		query = query.where(booking.service_area == filters.service_area)

	rows: dict[str, frappe._dict] = {}
	for r in query.run(as_dict=True):
		channel = r.acquisition_channel or NOT_SET
		row = rows.setdefault(channel, frappe._dict(new=0, returning=0, active=0, lapsed=0))
		if cint(r.in_range):
			row.active += 1
			if r.first_booking >= get_datetime(start):
				row.new += 1
			else:
				row.returning += 1
		if r.last_booking < cutoff:
			row.lapsed += 1
	return [
		# as HS Customer's options read ("Offline" is 线下 there, not a technician's 离线)
		frappe._dict(acquisition_channel=_(channel, context="HS Customer"), **counts)
		for channel, counts in sorted(rows.items())
	]
