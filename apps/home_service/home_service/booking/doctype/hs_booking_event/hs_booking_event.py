# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import now_datetime
from frappe.utils.html_utils import sanitize_html

# what a caller may put on a timeline line; the rest (name, owner, creation) is written here
EVENT_FIELDS = (
	"booking",
	"event_type",
	"timestamp",
	"actor",
	"actor_role",
	"from_status",
	"to_status",
	"from_state",
	"to_state",
	"note",
	"latitude",
	"longitude",
)


class HSBookingEvent(Document):
	"""One line of a booking's timeline. Append-only: the timeline is evidence."""

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Booking events cannot be changed."), frappe.PermissionError)

	def on_trash(self):
		if not frappe.flags.in_test and frappe.session.user != "Administrator":
			frappe.throw(_("Booking events cannot be deleted."), frappe.PermissionError)


def append_event(booking: str, event_type: str, **values) -> str:
	"""Append a line to a booking's timeline and return its name.

	Lines are written only by the booking's own code paths (never from a form: the DocType is
	`in_create`), all their links are the booking and the session user, and nothing hooks them, so
	they are inserted as a plain row, as Frappe writes its own logs: a status change does not pay
	for a second document insert (defaults, link checks, workflow, notification and assignment rule
	hooks) on top of the booking's own.
	"""
	unknown = set(values) - set(EVENT_FIELDS)
	if unknown:
		raise TypeError(f"unknown booking event fields: {sorted(unknown)}")
	note = values.get("note")
	if note and ("<" in note or ">" in note):
		values["note"] = sanitize_html(note)  # as a document insert would
	now = now_datetime()
	user = frappe.session.user
	row = {
		"name": frappe.generate_hash(length=10),
		"creation": now,
		"modified": now,
		"owner": user,
		"modified_by": user,
		"docstatus": 0,
		"idx": 0,
		"timestamp": now,
		"actor": user,
		# an absent value takes the column's default (0 for the coordinates), as in a document insert
		**{field: value for field, value in values.items() if value is not None},
		"booking": booking,
		"event_type": event_type,
	}
	event = DocType("HS Booking Event")
	frappe.qb.into(event).columns(*row).insert(*row.values()).run()
	return row["name"]
