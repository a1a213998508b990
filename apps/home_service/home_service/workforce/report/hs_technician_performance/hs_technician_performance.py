"""Technician performance over a date range.

- Completed: bookings the technician completed in the range (completed_on).
- On-time rate: of those with an arrival time, the share where arrived_on <= window_end.
- Rating: average star rating of the published reviews of the technician written in the range.
- Acceptance rate: dispatch offers accepted / offers answered or expired (HS Dispatch Offer, by
  offered_on; pending and withdrawn offers are not the technician's decision).
- Rework rate: complaints opened in the range about the technician per completed job.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Avg, Count, Sum

from home_service.utils.reports import date_range, day_bounds, percent

ANSWERED = ("Accepted", "Rejected", "Expired")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	return get_columns(), rows, None, completed_chart(rows)


def completed_chart(rows, top: int = 20) -> dict | None:
	"""The busiest technicians only: Frappe Charts fails to draw dozens of bars or all-zero values."""
	busiest = sorted((row for row in rows if row.completed), key=lambda row: -row.completed)[:top]
	if not busiest:
		return None
	return {
		"data": {
			"labels": [row.technician_name or row.technician for row in busiest],
			"datasets": [{"name": _("Completed"), "values": [row.completed for row in busiest]}],
		},
		"type": "bar",
	}


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "technician",
			"label": _("Technician"),
			"fieldtype": "Link",
			"options": "HS Technician",
			"width": 130,
		},
		{"fieldname": "technician_name", "label": _("Technician Name"), "fieldtype": "Data", "width": 130},
		{"fieldname": "completed", "label": _("Completed"), "fieldtype": "Int", "width": 100},
		{"fieldname": "on_time", "label": _("On Time"), "fieldtype": "Int", "width": 90},
		{"fieldname": "on_time_rate", "label": _("On-Time Rate"), "fieldtype": "Percent", "width": 110},
		{"fieldname": "reviews", "label": _("Reviews"), "fieldtype": "Int", "width": 90},
		{"fieldname": "rating", "label": _("Average Rating"), "fieldtype": "Float", "precision": 2},
		{"fieldname": "offers_received", "label": _("Offers Received"), "fieldtype": "Int"},
		{"fieldname": "offers_accepted", "label": _("Offers Accepted"), "fieldtype": "Int"},
		{"fieldname": "acceptance_rate", "label": _("Acceptance Rate"), "fieldtype": "Percent"},
		{"fieldname": "complaints", "label": _("Complaints"), "fieldtype": "Int", "width": 100},
		{"fieldname": "rework_rate", "label": _("Rework Rate"), "fieldtype": "Percent", "width": 110},
	]


def get_data(filters) -> list:
	from_date, to_date = date_range(filters)
	span = day_bounds(from_date, to_date)
	technician = filters.get("technician")
	rows: dict[str, frappe._dict] = {}

	def row(name):
		return rows.setdefault(
			name,
			frappe._dict(
				technician=name,
				completed=0,
				on_time=0,
				arrivals=0,
				reviews=0,
				rating=None,
				offers_received=0,
				offers_accepted=0,
				complaints=0,
			),
		)

	booking = frappe.qb.DocType("HS Booking")
	query = (
		frappe.qb.from_(booking)
		.select(
			booking.technician,
			Count(booking.name).as_("completed"),
			Sum(Case().when(booking.arrived_on.isnotnull(), 1).else_(0)).as_("arrivals"),
			Sum(Case().when(booking.arrived_on <= booking.window_end, 1).else_(0)).as_("on_time"),
		)
		.where(booking.completed_on.between(*span))
		.where(booking.technician.isnotnull())
		.groupby(booking.technician)
	)
	for r in _scoped(query, booking, technician).run(as_dict=True):
		row(r.technician).update(
			completed=int(r.completed), arrivals=int(r.arrivals or 0), on_time=int(r.on_time or 0)
		)

	review = frappe.qb.DocType("HS Review")
	query = (
		frappe.qb.from_(review)
		.select(review.technician, Count(review.name).as_("reviews"), Avg(review.rating).as_("rating"))
		.where(review.creation.between(*span))
		.where(review.status == "Published")
		.where(review.technician.isnotnull())
		.groupby(review.technician)
	)
	for r in _scoped(query, review, technician).run(as_dict=True):
		row(r.technician).update(
			reviews=int(r.reviews), rating=Decimal(str(r.rating)).quantize(Decimal("0.01"))
		)

	offer = frappe.qb.DocType("HS Dispatch Offer")
	query = (
		frappe.qb.from_(offer)
		.select(
			offer.technician,
			Count(offer.name).as_("received"),
			Sum(Case().when(offer.status == "Accepted", 1).else_(0)).as_("accepted"),
		)
		.where(offer.offered_on.between(*span))
		.where(offer.status.isin(ANSWERED))
		.groupby(offer.technician)
	)
	for r in _scoped(query, offer, technician).run(as_dict=True):
		row(r.technician).update(offers_received=int(r.received), offers_accepted=int(r.accepted or 0))

	complaint = frappe.qb.DocType("HS Complaint")
	query = (
		frappe.qb.from_(complaint)
		.select(complaint.technician, Count(complaint.name).as_("complaints"))
		.where(complaint.opened_on.between(*span))
		.where(complaint.technician.isnotnull())
		.groupby(complaint.technician)
	)
	for r in _scoped(query, complaint, technician).run(as_dict=True):
		row(r.technician).complaints = int(r.complaints)

	names = dict(
		frappe.get_all(
			"HS Technician",
			filters={"name": ["in", list(rows) or [""]]},
			fields=["name", "technician_name"],
			as_list=True,
		)
	)
	for r in rows.values():
		r.technician_name = names.get(r.technician)
		r.on_time_rate = percent(r.on_time, r.arrivals)
		r.acceptance_rate = percent(r.offers_accepted, r.offers_received)
		r.rework_rate = percent(r.complaints, r.completed)
	return sorted(rows.values(), key=lambda r: (-r.completed, r.technician))


def _scoped(query, table, technician: str | None):
	return query.where(table.technician == technician) if technician else query
