# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Desk methods of the dispatch board: the day's board for one service area, and manual assignment."""

from datetime import timedelta

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, nowdate

from home_service.dispatch import manual
from home_service.dispatch.realtime import ON_TIMELINE, UNASSIGNED
from home_service.utils.db import retry_on_deadlock

BOOKING_FIELDS = (
	"name",
	"customer_name",
	"status",
	"technician",
	"technician_name",
	"window_start",
	"window_end",
	"service_end",
	"duration_minutes",
	"service_category",
	"address_display",
	"needs_manual_dispatch",
	"is_immediate",
)


@frappe.whitelist()
def get_board(date: str | None = None, service_area: str | None = None) -> dict:
	"""Technicians with their bookings of `date`, and the bookings nobody has yet: of `service_area`,
	else of the user's own area (a User Permission on HS Service Area: the default one, or the only
	one), else of every area (`service_area` is then None in the answer)."""
	manual.assert_dispatcher()
	day = getdate(date or nowdate())
	areas = frappe.get_all("HS Service Area", pluck="name", order_by="name asc")
	if service_area and service_area not in areas:
		frappe.throw(_("Service area {0} does not exist.").format(service_area), frappe.DoesNotExistError)
	service_area = service_area or own_area(areas)
	board = {"date": str(day), "service_area": service_area, "areas": areas, "technicians": []}
	board.update(unassigned=[], bookings=[])
	if not areas:
		return board

	start = get_datetime(day)
	end = start + timedelta(days=1)
	on_day = [["window_start", ">=", start], ["window_start", "<", end]]
	in_area = [["service_area", "=", service_area]] if service_area else []
	board["unassigned"] = frappe.get_all(
		"HS Booking",
		filters=[*in_area, ["status", "in", UNASSIGNED], *on_day],
		fields=BOOKING_FIELDS,
		order_by="needs_manual_dispatch desc, window_start asc",
	)
	technicians = area_technicians(service_area)
	names = [t.name for t in technicians]
	bookings = frappe.get_all(
		"HS Booking",
		filters=[["status", "in", ON_TIMELINE], *in_area, *on_day],
		fields=BOOKING_FIELDS,
		order_by="window_start asc",
	)
	if names and service_area:  # their jobs elsewhere take their time too
		seen = {b.name for b in bookings}
		bookings += [
			b
			for b in frappe.get_all(
				"HS Booking",
				filters=[["status", "in", ON_TIMELINE], ["technician", "in", names], *on_day],
				fields=BOOKING_FIELDS,
				order_by="window_start asc",
			)
			if b.name not in seen
		]
	missing = sorted({b.technician for b in bookings if b.technician} - set(names))
	if missing:  # a technician from another area working here today gets a row too
		technicians += frappe.get_all(
			"HS Technician",
			filters={"name": ("in", missing)},
			fields=["name", "technician_name", "status", "level", "review_status"],
			order_by="technician_name asc",
		)
	board["technicians"] = technicians
	board["bookings"] = sorted(bookings, key=lambda b: b.window_start)
	return board


def own_area(areas: list[str]) -> str | None:
	"""The service area the session user is tied to: their default User Permission on HS Service
	Area, or their only one; None for a user tied to none (or to several, none of them default)."""
	from frappe.core.doctype.user_permission.user_permission import get_user_permissions

	allowed = [p for p in get_user_permissions().get("HS Service Area", []) if p.get("doc") in areas]
	default = [p["doc"] for p in allowed if p.get("is_default")]
	if default:
		return default[0]
	return allowed[0]["doc"] if len(allowed) == 1 else None


def area_technicians(service_area: str | None) -> list[frappe._dict]:
	"""Approved technicians who serve `service_area` (every area's when None)."""
	tech = frappe.qb.DocType("HS Technician")
	area = frappe.qb.DocType("HS Technician Area")
	query = (
		frappe.qb.from_(tech)
		.join(area)
		.on((area.parent == tech.name) & (area.parenttype == "HS Technician"))
		.select(tech.name, tech.technician_name, tech.status, tech.level, tech.review_status)
		.where(tech.review_status == "Approved")
		.distinct()
		.orderby(tech.technician_name)
	)
	if service_area:
		query = query.where(area.service_area == service_area)
	return query.run(as_dict=True)


@frappe.whitelist(methods=["POST"])
def assign(booking: str, technician: str) -> dict:
	"""Assign (or reassign) a booking from the board; conflicts are 409 with a readable message."""
	manual.assert_dispatcher()
	doc = retry_on_deadlock(manual.assign, booking, technician)  # the request is the unit of work
	return {
		"name": doc.name,
		"status": doc.status,
		"technician": doc.technician,
		"technician_name": doc.technician_name,
	}
