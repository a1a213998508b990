"""Test factories: every record gets a unique name so tests never depend on each other or on demo data."""

from collections import deque

import frappe
from frappe.utils import now_datetime

from home_service.booking.lifecycle import NEEDS_TECHNICIAN, TRANSITIONS, Status, entering_unpaid

# the record makers are production code (developer tools use them); tests import them from here too
from home_service.devtools.records import (
	ALWAYS,
	CENTRE,
	make_address,
	make_area,
	make_area_for,
	make_booking,
	make_capacity,
	make_category,
	make_customer,
	make_item,
	make_skill,
	make_technician,
	make_user,
	mobile,
	tomorrow_at,
	uid,
)


def mark_paid(doc) -> None:
	doc.payment_status = "Paid"
	doc.paid_amount = doc.grand_total
	doc.paid_on = now_datetime()
	doc.flags.hs_trusted = True


def path_to(start: str, target: str) -> list[str]:
	"""Shortest sequence of statuses from `start` to `target` through the transition map."""
	queue, seen = deque([[start]]), {start}
	while queue:
		path = queue.popleft()
		if path[-1] == target:
			return path[1:]
		for nxt in sorted(TRANSITIONS[path[-1]]):
			if nxt not in seen:
				seen.add(nxt)
				queue.append([*path, nxt])
	raise ValueError(f"{target} is unreachable from {start}")


def advance(doc, target: str, technician: str | None = None):
	"""Walk a booking to `target` the way the services would: paying and assigning on the way."""
	for status in path_to(doc.status, target):
		if entering_unpaid(doc, doc.status, status):  # e.g. Pending Payment -> Exception -> Assigned
			mark_paid(doc)
		if status in NEEDS_TECHNICIAN and not doc.technician:
			doc.technician = technician or doc.held_technician or make_technician(areas=[doc.service_area])
		if status == Status.REFUNDED and not doc.paid_amount:
			mark_paid(doc)
		doc.transition_to(status)
	return doc


def deactivate_price_rules() -> None:
	"""Switch every price rule off in this test's transaction (rolled back with it), the cached rules too."""
	from home_service.catalog.pricing import forget_price_rules

	frappe.db.set_value("HS Price Rule", {"is_active": 1}, "is_active", 0)
	forget_price_rules()
	frappe.db.after_rollback.add(forget_price_rules)
