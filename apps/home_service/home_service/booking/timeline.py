"""A booking's timeline (HS Booking Event rows): the one function that writes a line.

A module of the booking package rather than of the DocType's controller, so that the booking code
that records steps (policy, the controller, dispatch) does not import the controller package, which
imports that code back (booking/doctype → booking/cancellation → booking/policy).
"""

import frappe
from frappe.query_builder import DocType
from frappe.utils import now_datetime
from frappe.utils.html_utils import sanitize_html


def append_event(
	booking: str,
	event_type: str,
	*,
	actor_role: str | None = None,
	from_status: str | None = None,
	to_status: str | None = None,
	from_state: str | None = None,
	to_state: str | None = None,
	note: str | None = None,
	latitude: float | None = None,
	longitude: float | None = None,
) -> str:
	"""Append a line, written now by the session user, to a booking's timeline; return its name.

	Lines are written only by the booking's own code paths (never from a form: the DocType is
	`in_create`), all their links are the booking and the session user, and nothing hooks them, so
	they are inserted as a plain row, as Frappe writes its own logs: a status change does not pay
	for a second document insert (defaults, link checks, workflow, notification and assignment rule
	hooks) on top of the booking's own.
	"""
	if note and ("<" in note or ">" in note):
		note = sanitize_html(note)  # as a document insert would
	now, user = now_datetime(), frappe.session.user
	optional = {
		"actor_role": actor_role,
		"from_status": from_status,
		"to_status": to_status,
		"from_state": from_state,
		"to_state": to_state,
		"note": note,
		"latitude": latitude,
		"longitude": longitude,
	}
	row = {
		"name": frappe.generate_hash(length=10),
		"creation": now,
		"modified": now,
		"owner": user,
		"modified_by": user,
		"docstatus": 0,
		"idx": 0,
		"booking": booking,
		"event_type": event_type,
		"timestamp": now,
		"actor": user,
		# an absent value takes the column's default (0 for the coordinates), as in a document insert
		**{field: value for field, value in optional.items() if value is not None},
	}
	event = DocType("HS Booking Event")
	frappe.qb.into(event).columns(*row).insert(*row.values()).run()
	return row["name"]
