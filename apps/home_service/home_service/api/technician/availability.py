"""When and where I work: weekly hours, leave, online / offline and my live location.

Status: the technician chooses Online or Offline; Busy is set by the system while a job is under way
(depart sets it, completing or reporting an exception gives Online back when no other job is under way).
Status and location writes do not touch `modified`, so a dispatcher editing the technician in Desk is
not interrupted by location pings.
"""

import re
from datetime import timedelta
from itertools import pairwise

import frappe
from frappe import _
from frappe.utils import add_to_date, get_datetime, now_datetime, to_timedelta

from home_service.api.registry import endpoint, page_args, paged
from home_service.api.technician.scope import (
	ROLE,
	ConflictError,
	current_technician,
	own_row,
	point,
)
from home_service.booking.lifecycle import Status
from home_service.scheduling.calendar import ASSIGNED_STATUSES, WEEKDAYS
from home_service.utils.text import clean_text

TAG = "technician/availability"
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")
MAX_HOUR_ROWS = 21
LEAVE_TYPES = ("Leave", "Day Off", "Sick Leave")
MAX_LEAVE_DAYS, LEAVE_HORIZON_DAYS = 30, 180
LOCATION_INTERVAL_SECONDS = 10
UNDER_WAY = (Status.ON_THE_WAY, Status.ARRIVED, Status.IN_SERVICE)


# --- weekly hours ---------------------------------------------------------------------------------
@endpoint(roles=ROLE, tag=TAG)
def get_working_hours() -> dict:
	"""My weekly working hours."""
	technician = current_technician(approved=False)
	return {"technician": technician.name, "working_hours": hours_out(technician.name)}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def set_working_hours(working_hours: list[dict]) -> dict:
	"""Replace my weekly hours with these rows: [{weekday, start_time "08:00", end_time "18:00"}]."""
	technician = current_technician(approved=False)
	rows = valid_hours(working_hours)
	doc = frappe.get_doc("HS Technician", technician.name, for_update=True)
	doc.set("working_hours", rows)
	doc.save(ignore_permissions=True)
	return {"technician": doc.name, "working_hours": hours_out(doc.name)}


def valid_hours(rows: list[dict]) -> list[dict]:
	if len(rows or []) > MAX_HOUR_ROWS:
		frappe.throw(_("At most {0} rows of working hours.").format(MAX_HOUR_ROWS))
	cleaned = []
	for row in rows or []:
		if not isinstance(row, dict):
			frappe.throw(_("Each row must be an object."))
		weekday, start, end = (
			row.get("weekday"),
			str(row.get("start_time") or ""),
			str(row.get("end_time") or ""),
		)
		if weekday not in WEEKDAYS:
			frappe.throw(_("Weekday must be one of {0}.").format(", ".join(WEEKDAYS)))
		if not TIME.match(start) or not TIME.match(end):
			frappe.throw(_("Times are written HH:MM, for example 08:30."))
		start, end = seconds_of(start), seconds_of(end)
		if end <= start:
			frappe.throw(_("{0}: working hours must end after they start.").format(_(weekday)))
		cleaned.append((weekday, start, end))
	by_day = sorted(cleaned, key=lambda r: (WEEKDAYS.index(r[0]), r[1]))
	for previous, row in pairwise(by_day):
		if previous[0] == row[0] and row[1] < previous[2]:
			frappe.throw(_("{0}: working hours overlap.").format(_(row[0])))
	return [{"weekday": d, "start_time": as_time(s), "end_time": as_time(e)} for d, s, e in by_day]


def seconds_of(value: str) -> int:
	parts = [int(p) for p in value.split(":")] + [0]
	return parts[0] * 3600 + parts[1] * 60 + parts[2]


def as_time(seconds: int) -> str:
	return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def hours_out(technician: str) -> list[dict]:
	rows = frappe.get_all(
		"HS Working Hours",
		filters={"parent": technician, "parenttype": "HS Technician", "parentfield": "working_hours"},
		fields=["weekday", "start_time", "end_time"],
	)
	rows.sort(key=lambda r: (WEEKDAYS.index(r.weekday), to_timedelta(r.start_time)))
	return [
		{
			"weekday": r.weekday,
			"start_time": as_time(int(to_timedelta(r.start_time).total_seconds())),
			"end_time": as_time(int(to_timedelta(r.end_time).total_seconds())),
		}
		for r in rows
	]


# --- leave ----------------------------------------------------------------------------------------
@endpoint(roles=ROLE, tag=TAG)
def list_leave(include_past: bool = False, page: int = 1, page_size: int = 20) -> dict:
	"""My leave, upcoming first (and the past too with include_past)."""
	technician = current_technician(approved=False)
	start, length = page_args(page, page_size)
	filters = {"technician": technician.name}
	if not include_past:
		filters["to_datetime"] = (">", now_datetime())
	rows = frappe.get_list(
		"HS Technician Leave",
		filters=filters,
		fields=["name", "leave_type", "status", "from_datetime", "to_datetime", "reason"],
		order_by="from_datetime desc" if include_past else "from_datetime asc",
		limit_start=start,
		limit_page_length=length,
	)
	total = frappe.db.count("HS Technician Leave", filters)
	return paged([leave_out(row) for row in rows], total, start, length)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def add_leave(
	from_datetime: str, to_datetime: str, leave_type: str = "Leave", reason: str | None = None
) -> dict:
	"""Take time off in the future; refused when it overlaps a job already assigned to me."""
	technician = current_technician(approved=False)
	begin = valid_moment(from_datetime, _("From", context="HS Technician Leave"))
	end = valid_moment(to_datetime, _("To", context="HS Technician Leave"))
	if leave_type not in LEAVE_TYPES:
		frappe.throw(_("Leave type must be one of {0}.").format(", ".join(LEAVE_TYPES)))
	now = now_datetime()
	if begin < now - timedelta(minutes=5):
		frappe.throw(_("Leave must start in the future."))
	if end <= begin:
		frappe.throw(_("Leave must end after it starts."))
	if end - begin > timedelta(days=MAX_LEAVE_DAYS):
		frappe.throw(_("One leave can last at most {0} days.").format(MAX_LEAVE_DAYS))
	if begin > add_to_date(now, days=LEAVE_HORIZON_DAYS):
		frappe.throw(_("Leave can be planned at most {0} days ahead.").format(LEAVE_HORIZON_DAYS))
	reason = clean_text(reason, "Reason", 500, multiline=True)

	frappe.db.sql("select name from `tabHS Technician` where name = %s for update", technician.name)
	if overlapping_jobs(technician.name, begin, end):
		frappe.throw(
			_("You have a job during this time. Ask the dispatcher to reassign it first."), ConflictError
		)
	if frappe.db.exists(
		"HS Technician Leave",
		{
			"technician": technician.name,
			"status": ("!=", "Rejected"),
			"from_datetime": ("<", end),
			"to_datetime": (">", begin),
		},
	):
		frappe.throw(_("This overlaps leave you already have."), ConflictError)
	doc = frappe.get_doc(
		{
			"doctype": "HS Technician Leave",
			"technician": technician.name,
			"leave_type": leave_type,
			"status": "Approved",
			"from_datetime": begin,
			"to_datetime": end,
			"reason": reason,
		}
	).insert(ignore_permissions=True)
	return leave_out(doc)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def cancel_leave(leave: str) -> dict:
	"""Cancel my leave that has not started yet."""
	technician = current_technician(approved=False)
	row = own_row("HS Technician Leave", leave, technician.name, _("Leave"), ["name", "from_datetime"])
	if get_datetime(row.from_datetime) <= now_datetime():
		frappe.throw(_("Leave that has started cannot be cancelled."), ConflictError)
	frappe.delete_doc("HS Technician Leave", row.name, ignore_permissions=True)
	return {"name": row.name, "cancelled": True}


def overlapping_jobs(technician: str, begin, end) -> list[str]:
	booking = frappe.qb.DocType("HS Booking")
	return (
		frappe.qb.from_(booking)
		.select(booking.name)
		.where(booking.technician == technician)
		.where(booking.status.isin(ASSIGNED_STATUSES))
		.where(booking.window_start < end)
		.where(booking.service_end > begin)
	).run(pluck=True)


def valid_moment(value: str, label: str):
	try:
		moment = get_datetime(str(value or ""))
	except Exception:
		moment = None
	if not moment:
		frappe.throw(_("{0} is not a valid date and time (YYYY-MM-DD HH:MM).").format(label))
	return moment.replace(microsecond=0)


def leave_out(row) -> dict:
	return {
		"name": row.name,
		"leave_type": row.leave_type,
		"status": row.status,
		"from_datetime": str(row.from_datetime),
		"to_datetime": str(row.to_datetime),
		"reason": row.reason,
	}


# --- online / offline / location -------------------------------------------------------------
@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def go_online(latitude: float | None = None, longitude: float | None = None) -> dict:
	"""Start taking immediate jobs (optionally with my position)."""
	technician = current_technician()
	where = point(latitude, longitude, required=False)
	if technician.status != "Busy":
		set_status(technician.name, "Online")
	if where:
		store_location(technician.name, *where)
	return presence_out(technician.name)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def go_offline() -> dict:
	"""Stop taking immediate jobs; refused while a job is under way."""
	technician = current_technician(approved=False)
	if jobs_under_way(technician.name):
		frappe.throw(_("Finish or report the job under way before going offline."), ConflictError)
	set_status(technician.name, "Offline")
	return presence_out(technician.name)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def update_location(latitude: float, longitude: float) -> dict:
	"""My live position (at most once every 10 seconds)."""
	technician = current_technician()
	lat, lng = point(latitude, longitude)
	last = technician.location_updated_on
	if last and now_datetime() - get_datetime(last) < timedelta(seconds=LOCATION_INTERVAL_SECONDS):
		frappe.throw(
			_("Location updates are limited to one every {0} seconds.").format(LOCATION_INTERVAL_SECONDS),
			frappe.RateLimitExceededError,
		)
	store_location(technician.name, lat, lng)
	return presence_out(technician.name)


def set_status(technician: str, status: str) -> None:
	frappe.db.set_value("HS Technician", technician, "status", status, update_modified=False)


def store_location(technician: str, latitude: float, longitude: float) -> None:
	frappe.db.set_value(
		"HS Technician",
		technician,
		{"current_latitude": latitude, "current_longitude": longitude, "location_updated_on": now_datetime()},
		update_modified=False,
	)


def jobs_under_way(technician: str) -> list[str]:
	booking = frappe.qb.DocType("HS Booking")
	return (
		frappe.qb.from_(booking)
		.select(booking.name)
		.where(booking.technician == technician)
		.where(booking.status.isin(UNDER_WAY))
	).run(pluck=True)


def refresh_status(technician: str) -> None:
	"""Busy while a job is under way; back to Online when none is (Offline stays Offline)."""
	current = frappe.db.get_value("HS Technician", technician, "status")
	if jobs_under_way(technician):
		if current != "Busy":
			set_status(technician, "Busy")
	elif current == "Busy":
		set_status(technician, "Online")


def presence_out(technician: str) -> dict:
	row = frappe.db.get_value(
		"HS Technician",
		technician,
		["name", "status", "current_latitude", "current_longitude", "location_updated_on"],
		as_dict=True,
	)
	return {
		"technician": row.name,
		"status": row.status,
		"latitude": row.current_latitude,
		"longitude": row.current_longitude,
		"location_updated_on": str(row.location_updated_on) if row.location_updated_on else None,
	}
