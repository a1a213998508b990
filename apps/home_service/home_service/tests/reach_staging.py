"""Records for the HTTP test of the search radius (tests/api/test_slot_reach.py), made and put away
through `bench --site SITE execute` (which commits).

A service area far from the demo city, an item needing a skill nobody else has, a customer (with a
mini-program token) living at the area's centre, and the technician of the report: approved, with
that skill, serving that area, but with no home base set (so at 0,0, thousands of km away). And a
neighbour like them who lives at the customer's address, not yet approved.
"""

import random

import frappe

from home_service.access.tokens import issue_token
from home_service.tests.factories import (
	make_address,
	make_area,
	make_customer,
	make_item,
	make_skill,
	make_technician,
	uid,
)
from home_service.utils.db import retry_on_deadlock

MARK = "HTTP reach"


def stage() -> dict:
	# the suites run while other work writes the same naming series: a deadlock victim starts again
	return retry_on_deadlock(_stage)


def _stage() -> dict:
	lat, lng = round(random.uniform(35, 45), 5), round(random.uniform(85, 95), 5)
	area = make_area(lat=lat, lng=lng, radius_km=5, area_name=uid(f"{MARK} "))
	skill = make_skill()
	item = make_item(required_skill=skill)
	customer = make_customer(with_user=True, customer_name=uid(f"{MARK} "))
	address = make_address(customer, lat, lng)
	if frappe.db.get_value("HS Customer Address", address, "service_area") != area:
		frappe.throw(f"another area covers {lat}, {lng}")
	far = make_technician(skills=[skill], areas=[area], technician_name=uid(f"{MARK} 0,0 "), bio=MARK)
	# the same, living at the customer's address, still pending review: the test approves them
	neighbour = make_technician(
		skills=[skill],
		areas=[area],
		technician_name=uid(f"{MARK} "),
		bio=MARK,
		review_status="Pending",
		home_latitude=lat,
		home_longitude=lng,
	)
	user = frappe.db.get_value("HS Customer", customer, "user")
	frappe.db.commit()
	return {
		"area": area,
		"item": item,
		"customer": customer,
		"address": address,
		"far_technician": far,
		"neighbour": neighbour,
		"token": issue_token(user, "WeChat Mini Program")["token"],
	}


def remove(staged: dict) -> None:
	"""Out of service (bookings keep their links): the area, the item, the technicians, the login."""
	frappe.db.set_value("HS Service Area", staged["area"], "is_active", 0)
	frappe.db.set_value("HS Service Item", staged["item"], "is_active", 0)
	for technician in frappe.get_all("HS Technician", filters={"bio": MARK}, pluck="name"):
		frappe.db.set_value("HS Technician", technician, {"status": "Offline", "review_status": "Suspended"})
	frappe.db.set_value("User", frappe.db.get_value("HS Customer", staged["customer"], "user"), "enabled", 0)
	frappe.db.commit()
