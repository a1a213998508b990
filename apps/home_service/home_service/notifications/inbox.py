"""The in-app inbox of the mini-programs: `notify()` stores a message for a user and pings the client.

Any code can call `notify(user, title, body, booking=None)`; titles and bodies are translated by the
caller into the recipient's language (`lang_of(user)`). The booking steps a customer hears of are sent
by notifications/events.py (a `doc_events` hook on HS Booking, so every path — API, Desk, dispatch —
counts) on every channel, this inbox being the "Inbox" channel (notifications/channels.py); the
HS Message DocType itself belongs to the Quality module.
"""

import frappe
from frappe import _
from frappe.translate import get_user_lang

from home_service.booking.lifecycle import Status
from home_service.booking.stored_text import translated

MAX_TITLE, MAX_BODY = 140, 1000


def notify(user: str | None, title: str, body: str | None = None, booking: str | None = None) -> str | None:
	"""Store one message for `user` (a no-op without a user) and return its name."""
	if not user or user in ("Guest", "Administrator"):
		return None
	message = frappe.get_doc(
		{
			"doctype": "HS Message",
			"recipient": user,
			"title": (title or "").strip()[:MAX_TITLE],
			"body": (body or "").strip()[:MAX_BODY] or None,
			"booking": booking,
		}
	).insert(ignore_permissions=True)
	frappe.publish_realtime(
		"hs_message", {"name": message.name, "title": message.title}, user=user, after_commit=True
	)
	return message.name


def lang_of(user: str) -> str:
	return get_user_lang(user)


def on_booking_cancelled(booking, fee=None) -> None:
	"""`hs_on_booking_cancelled` hook: the technician who had the job hears it is off, with the reason,
	whoever cancelled it (the customer's app, staff in Desk, a job)."""
	previous = booking.get_doc_before_save()
	if not booking.technician:
		return
	if not previous or previous.status not in (Status.ASSIGNED, Status.EXCEPTION):
		return
	user = frappe.db.get_value("HS Technician", booking.technician, "user")
	if not user:
		return
	lang = lang_of(user)
	reason = translated(booking.cancel_reason, lang)  # a job's reason is stored in English
	body = _("Booking {0} was cancelled: {1}", lang=lang).format(booking.name, reason)
	notify(user, _("Booking cancelled", lang=lang), body, booking=booking.name)
