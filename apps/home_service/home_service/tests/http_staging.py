"""Records the HTTP suites need on a running site whatever state the demo city is in, called through
`bench --site SITE execute` (which commits). Demo records are left alone.

A city whose technicians are booked out for the whole booking horizon offers no arrival window, and a
suite that needs one would otherwise have to skip; `stage_capacity` adds a standby technician for
the job's skill and area instead (reused by later runs: bookings the suites make are cancelled, so
their time comes free again).
"""

import frappe

from home_service.access.tokens import issue_token
from home_service.booking.lifecycle import Status
from home_service.tests.factories import (
	ALWAYS,
	advance,
	make_address,
	make_booking,
	make_customer,
	make_technician,
	make_user,
	uid,
)
from home_service.tests.technician_fixtures import free_day
from home_service.utils.db import retry_on_deadlock

MARK = "HTTP standby"


def stage_capacity(address: str, item: str, fresh: bool = False) -> str:
	"""An approved technician with `item`'s skill who serves `address`'s area at all hours, living
	there: the one staged before, or (none yet, or `fresh`) a new one. Returns its name."""
	area, lat, lng = frappe.db.get_value(
		"HS Customer Address", address, ["service_area", "latitude", "longitude"]
	)
	if not area:
		frappe.throw(f"{address} is outside every service area")
	skill = frappe.db.get_value("HS Service Item", item, "required_skill")
	bio = f"{MARK}: {area} / {skill or '-'}"
	existing = frappe.db.get_value(
		"HS Technician", {"bio": bio, "review_status": "Approved"}, "name", order_by="creation desc"
	)
	if existing and not fresh:
		return existing
	return make_technician(
		skills=[skill] if skill else [],
		areas=[area],
		hours=ALWAYS,
		bio=bio,
		technician_name=uid("接口测试备班师傅 "),
		home_latitude=lat,
		home_longitude=lng,
	)


def stage_foreign_booking(near_address: str, item: str, status: str = Status.ASSIGNED) -> dict:
	"""A booking of a new customer next to `near_address`, walked to `status` with a standby
	technician (for the suites that must find another customer's booking)."""
	lat, lng = frappe.db.get_value("HS Customer Address", near_address, ["latitude", "longitude"])
	technician = stage_capacity(near_address, item)
	customer = make_customer(customer_name=uid("接口测试 "))
	address = make_address(customer, lat, lng)
	area = frappe.get_doc(
		"HS Service Area", frappe.db.get_value("HS Customer Address", address, "service_area")
	)
	doc = frappe.get_doc(
		{
			"doctype": "HS Booking",
			"customer": customer,
			"address": address,
			"window_start": free_day(technician, area, item),
			"items": [{"service_item": item, "quantity": 1}],
		}
	)
	doc.flags.skip_capacity_hold = True
	doc.insert(ignore_permissions=True)
	doc = advance(doc, status, technician=technician)
	return {"name": doc.name, "status": doc.status, "customer": customer, "address": address}


def stage_job_in_service() -> dict:
	"""A new customer's booking, In Service with a new technician; both log in with a mini-program
	token (for the suites that upload job photos as two unrelated technicians)."""
	# creating Users deadlocks with other work on the site (issue 14 point 2): start again then
	return retry_on_deadlock(_stage_job_in_service)


def _stage_job_in_service() -> dict:
	customer = make_customer(with_user=True, customer_name=uid("接口测试 "))
	doc = make_booking(customer=customer)
	technician = frappe.get_doc("HS Technician", doc.held_technician)
	technician.user = make_user(user_type="Website User")
	technician.save(ignore_permissions=True)  # grants the HS Technician role
	doc = advance(doc, Status.IN_SERVICE, technician=technician.name)
	customer_user = frappe.db.get_value("HS Customer", customer, "user")
	return {
		"booking": doc.name,
		"customer_token": issue_token(customer_user, "WeChat Mini Program")["token"],
		"technician_token": issue_token(technician.user, "Technician App")["token"],
	}


def forget_sms_quota(phone: str) -> None:
	"""As if `phone` had been sent no code for a day: the HTTP suites log one number in twice within
	the minute access/otp.py allows one code in."""
	from home_service.access import otp

	phone = otp.normalise_phone(phone)
	frappe.cache.delete_value([f"hs_otp_sent:{window}:{phone}" for window, _limit in otp.SEND_LIMITS])
