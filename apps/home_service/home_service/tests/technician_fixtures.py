"""Jobs offered to a technician, for the technician API tests (Frappe runner and HTTP suites).

`stage_offers` is what the HTTP suites call through `bench --site SITE execute` to give the demo
technician fresh offers on a running site; it commits (bench execute does) and leaves demo data alone.
"""

import io
import itertools
from contextlib import contextmanager

import frappe
from frappe.utils import add_days, add_to_date, now_datetime

from home_service.booking.lifecycle import Status
from home_service.scheduling.availability import is_free, job_for
from home_service.scheduling.calendar import calendars_around
from home_service.scheduling.settings import get_settings
from home_service.tests.factories import (
	make_address,
	make_area,
	make_booking,
	make_customer,
	make_item,
	make_skill,
	make_technician,
	mark_paid,
	tomorrow_at,
	uid,
)

_days = itertools.count(1)


def fresh_window(hour: int = 10):
	"""A window on a day no other fixture booking of this run used (so technicians are free)."""
	return tomorrow_at(hour, days=next(_days) % 60 + 1)


def technician_with_user(**kw) -> tuple[str, str]:
	"""An approved technician who can log in, with a skill and an area; (name, user)."""
	name = make_technician(with_user=True, **kw)
	return name, frappe.db.get_value("HS Technician", name, "user")


def offer_booking(doc, technician: str, minutes: int = 30) -> str:
	"""Pay `doc` and offer it to `technician` by hand (dispatch's own rounds stay out of it)."""
	if doc.status == Status.PENDING_PAYMENT:
		mark_paid(doc)
		doc.needs_manual_dispatch = 1
		doc.transition_to(Status.PENDING_DISPATCH, actor_role="System")
	offer = frappe.get_doc(
		{
			"doctype": "HS Dispatch Offer",
			"booking": doc.name,
			"technician": technician,
			"status": "Pending",
			"round": 1,
			"strategy": "Manual",
			"offered_on": now_datetime(),
			"expires_on": add_to_date(now_datetime(), minutes=minutes),
		}
	).insert(ignore_permissions=True)
	if doc.status != Status.OFFERED:
		doc.transition_to(Status.OFFERED, note="test offer", actor_role="System")
	return offer.name


def offered_booking(technician: str, window_start=None, **kw):
	"""A paid booking near the test centre offered to `technician`; (booking doc, offer name)."""
	doc = make_booking(window_start=window_start or fresh_window(), **kw)
	return doc, offer_booking(doc, technician)


def assigned_booking(technician: str, **kw):
	"""A booking `technician` has accepted (status Assigned)."""
	from home_service.dispatch.engine import accept_offer

	doc, offer = offered_booking(technician, **kw)
	return accept_offer(offer, technician)


@contextmanager
def uploading(content: bytes, filename: str = "photo.jpg", field: str = "file"):
	"""Run the block as if the current request carried `content` as a multipart upload."""
	from werkzeug.test import EnvironBuilder
	from werkzeug.wrappers import Request

	builder = EnvironBuilder(method="POST", data={field: (io.BytesIO(content), filename)})
	previous = getattr(frappe.local, "request", None)
	frappe.local.request = Request(builder.get_environ())
	try:
		yield
	finally:
		frappe.local.request = previous


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
	from PIL import Image

	buffer = io.BytesIO()
	Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
	return buffer.getvalue()


# --- for the HTTP suites (bench execute) ------------------------------------------------------------
def stage_offers(user: str, count: int = 1, other_user: str | None = None) -> dict:
	"""Fresh offers for the technician of `user` (and one for another technician) on a running site.

	Each booking is paid, in one of the technician's areas, on a day at least 30 days ahead when the
	technician is free, and offered by hand; returns their names and positions.
	"""
	technician = frappe.db.get_value("HS Technician", {"user": user}, "name")
	if not technician:
		frappe.throw(f"{user} is not a technician")
	staged = [stage_one(technician) for _i in range(int(count))]
	other = None
	if other_user:
		other_technician = frappe.db.get_value("HS Technician", {"user": other_user}, "name")
	else:
		# an approved technician with a login and a service area (applicants have no area yet)
		other_technician = next(
			(
				name
				for name in frappe.get_all(
					"HS Technician",
					filters={"name": ("!=", technician), "review_status": "Approved", "user": ("is", "set")},
					pluck="name",
					order_by="name asc",
				)
				if frappe.db.exists("HS Technician Area", {"parent": name})
			),
			None,
		) or make_technician(with_user=True, areas=[make_area()], skills=[make_skill()])
	if other_technician:
		other = stage_one(other_technician)
	return {"technician": technician, "offers": staged, "other": other}


def stage_one(technician: str) -> dict:
	doc = booking_for(technician)
	offer = offer_booking(doc, technician, minutes=120)
	return {
		"booking": doc.name,
		"offer": offer,
		"latitude": doc.latitude,
		"longitude": doc.longitude,
	}


def booking_for(technician: str, **fields):
	"""An unpaid booking of a new customer that `technician` could take, on a day they are free."""
	tech = frappe.get_doc("HS Technician", technician)
	area = frappe.get_doc("HS Service Area", tech.service_areas[0].service_area)
	skills = [row.skill for row in tech.skills]
	item = frappe.db.get_value(
		"HS Service Item",
		{"is_active": 1, "pricing_model": "Fixed", "required_skill": ("in", skills or [""])},
		"name",
	) or make_item(required_skill=skills[0] if skills else None, category=None)
	customer = make_customer(customer_name=uid("接口测试 "))
	address = make_address(customer, area.center_latitude, area.center_longitude)
	doc = frappe.get_doc(
		{
			"doctype": "HS Booking",
			"customer": customer,
			"address": address,
			"window_start": free_day(technician, area, item),
			"items": [{"service_item": item, "quantity": 1}],
			**fields,
		}
	)
	doc.flags.skip_capacity_hold = True
	return doc.insert(ignore_permissions=True)


def free_day(technician: str, area, item: str):
	"""10:00 on the first day from 30 days ahead when the technician has no job, leave or hold."""
	settings = get_settings()
	job = job_for(
		[{"service_item": item, "quantity": 1}], area.name, area.center_latitude, area.center_longitude
	)
	for offset in range(30, 400):
		start = add_days(now_datetime(), offset).replace(hour=10, minute=0, second=0, microsecond=0)
		calendar = calendars_around([technician], start)
		if is_free(calendar[technician], start, job, settings, check_hours=False):
			return start
	frappe.throw("no free day for the technician")
