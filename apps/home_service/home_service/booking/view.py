"""A booking as its customer reads it: the row and its child rows, with a few plain queries.

Booking detail is the mini-program's most frequent call. `frappe.get_doc` would build a Document and
all four child tables through Frappe's query engine (which parses every field list) for a read that
changes nothing, so the detail reads exactly the columns it shows.
"""

from types import SimpleNamespace

import frappe
from frappe.query_builder import DocType, Order

BOOKING_FIELDS = (
	"name",
	"customer",
	"status",
	"workflow_state",
	"creation",
	"window_start",
	"window_end",
	"is_immediate",
	"duration_minutes",
	"address",
	"contact_name",
	"contact_phone",
	"address_display",
	"customer_note",
	"items_total",
	"surcharge_total",
	"discount_amount",
	"points_deduction",
	"grand_total",
	"extra_total",
	"paid_amount",
	"refunded_amount",
	"cancellation_fee",
	"payment_status",
	"payment_deadline",
	"cancel_reason",
	"technician",
)
CHILDREN = {
	"items": ("HS Booking Item", ("service_item", "item_name", "spec", "quantity", "unit", "amount")),
	"charges": ("HS Booking Charge", ("charge_type", "description", "amount")),
	"extra_charges": (
		"HS Booking Extra Charge",
		("name", "description", "amount", "status", "photo", "proposed_on", "decided_on"),
	),
}
EVENT_FIELDS = ("timestamp", "event_type", "from_status", "to_status", "to_state", "note", "actor_role")


def customer_booking(name: str, customer: str) -> SimpleNamespace | None:
	"""`customer`'s booking `name` with `items`, `charges` and `extra_charges` (attributes, as on the
	Document: a dict's `items` would be its method); None if it is not theirs."""
	booking = DocType("HS Booking")
	rows = (
		frappe.qb.from_(booking)
		.select(*(booking[f] for f in BOOKING_FIELDS))
		.where((booking.name == name) & (booking.customer == customer))
		.run(as_dict=True)
	)
	if not rows:
		return None
	doc = SimpleNamespace(**rows[0])
	for field, (doctype, fields) in CHILDREN.items():
		child = DocType(doctype)
		children = (
			frappe.qb.from_(child)
			.select(*(child[f] for f in fields))
			.where((child.parent == name) & (child.parenttype == "HS Booking"))
			.orderby(child.idx)
			.run(as_dict=True)
		)
		setattr(doc, field, children)
	return doc


def events(booking: str, limit: int = 200) -> list[dict]:
	"""The booking's timeline, oldest first (the caller has checked who may read it)."""
	event = DocType("HS Booking Event")
	return (
		frappe.qb.from_(event)
		.select(*(event[f] for f in EVENT_FIELDS))
		.where(event.booking == booking)
		.orderby(event.timestamp, order=Order.asc)
		.orderby(event.creation, order=Order.asc)
		.limit(limit)
		.run(as_dict=True)
	)
