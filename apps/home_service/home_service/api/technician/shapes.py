"""Booking summaries for the technician app: what may be shown before and after assignment.

A summary (offers, job lists) never carries the customer's name, phone or street address: only the
items, the window, the district, the distance and the price.
"""

import frappe
from frappe.utils import get_datetime, now_datetime

from home_service.api.technician.scope import amount
from home_service.booking.workflow import shown_state
from home_service.utils.geo import haversine_km

SUMMARY_FIELDS = (
	"name",
	"status",
	"workflow_state",
	"window_start",
	"window_end",
	"is_immediate",
	"duration_minutes",
	"service_area",
	"address",
	"latitude",
	"longitude",
	"grand_total",
	"extra_total",
	"currency",
)
LIVE_LOCATION_MINUTES = 30


def booking_rows(names: list[str]) -> dict[str, frappe._dict]:
	"""Summary fields of these bookings (the caller has already scoped `names` to the technician)."""
	if not names:
		return {}
	booking = frappe.qb.DocType("HS Booking")
	rows = (
		frappe.qb.from_(booking).select(*(booking[f] for f in SUMMARY_FIELDS)).where(booking.name.isin(names))
	).run(as_dict=True)
	return {row.name: row for row in rows}


def items_by_booking(names: list[str]) -> dict[str, list[dict]]:
	items: dict[str, list[dict]] = {name: [] for name in names}
	if not names:
		return items
	item = frappe.qb.DocType("HS Booking Item")
	for row in (
		frappe.qb.from_(item)
		.select(item.parent, item.item_name, item.spec, item.quantity, item.unit)
		.where(item.parenttype == "HS Booking")
		.where(item.parent.isin(names))
		.orderby(item.idx)
	).run(as_dict=True):
		items[row.parent].append(
			{"item_name": row.item_name, "spec": row.spec, "quantity": row.quantity, "unit": row.unit}
		)
	return items


def districts(rows: list) -> dict[str, dict]:
	"""City and district of each booking: from its address, else from its service area."""
	addresses = {r.address for r in rows if r.address}
	areas = {r.service_area for r in rows if r.service_area}
	by_address = (
		{
			a.name: a
			for a in frappe.get_all(
				"HS Customer Address",
				filters={"name": ("in", list(addresses))},
				fields=["name", "city", "district"],
			)
		}
		if addresses
		else {}
	)
	by_area = (
		{
			a.name: a
			for a in frappe.get_all(
				"HS Service Area", filters={"name": ("in", list(areas))}, fields=["name", "city", "district"]
			)
		}
		if areas
		else {}
	)
	out = {}
	for row in rows:
		place = by_address.get(row.address) or by_area.get(row.service_area) or {}
		out[row.name] = {"city": place.get("city"), "district": place.get("district")}
	return out


def origin_of(technician) -> tuple[float, float] | None:
	"""Where the technician is: the live position when recent, else their home base."""
	updated = technician.get("location_updated_on")
	if (
		updated
		and technician.get("current_latitude")
		and (now_datetime() - get_datetime(updated)).total_seconds() < LIVE_LOCATION_MINUTES * 60
	):
		return technician.current_latitude, technician.current_longitude
	if technician.get("home_latitude") and technician.get("home_longitude"):
		return technician.home_latitude, technician.home_longitude
	return None


def distance_km(origin, row) -> float | None:
	if not origin or not row.latitude or not row.longitude:
		return None
	return round(haversine_km(origin[0], origin[1], row.latitude, row.longitude), 1)


def summaries(names: list[str], technician) -> dict[str, dict]:
	rows = booking_rows(names)
	items = items_by_booking(list(rows))
	places = districts(list(rows.values()))
	origin = origin_of(technician)
	return {
		name: {
			"booking": name,
			"status": row.status,
			**shown_state(row.workflow_state, row.status),
			"items": items[name],
			"window_start": str(row.window_start) if row.window_start else None,
			"window_end": str(row.window_end) if row.window_end else None,
			"is_immediate": bool(row.is_immediate),
			"duration_minutes": row.duration_minutes,
			"city": places[name]["city"],
			"district": places[name]["district"],
			"distance_km": distance_km(origin, row),
			"price": amount(row.grand_total),
			"extra_total": amount(row.extra_total),
			"currency": row.currency or "CNY",
		}
		for name, row in rows.items()
	}
