"""The in-app inbox of the mini-programs: `notify()` stores a message for a user and pings the client.

Any code can call `notify(user, title, body, booking=None)`; titles and bodies are translated by the
caller into the recipient's language (`lang_of(user)`). The booking lifecycle notifies the customer
on the steps below (a `doc_events` hook on HS Booking, so every path — API, Desk, dispatch — counts).
Push channels (WeChat subscription messages, SMS) can later read HS Message or hook in here.
A bulk job that replays history (an import) can set `doc.flags.hs_silent` on a booking to skip them.
"""

import frappe
from frappe import _
from frappe.translate import get_user_lang

from home_service.booking.lifecycle import Status

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


def _window(doc) -> str:
	start = frappe.utils.get_datetime(doc.window_start)
	end = frappe.utils.get_datetime(doc.window_end) if doc.window_end else None
	return start.strftime("%m-%d %H:%M") + (end.strftime("–%H:%M") if end else "")


def _customer_messages(doc, lang: str) -> tuple[str, str] | None:
	previous = doc.get_doc_before_save()
	status = doc.status
	if status == Status.PENDING_DISPATCH and previous and previous.status == Status.PENDING_PAYMENT:
		return _("Payment received", lang=lang), _(
			"Booking {0} is paid. We are finding a technician for {1}.", lang=lang
		).format(doc.name, _window(doc))
	if status == Status.ASSIGNED:
		return _("Technician assigned", lang=lang), _(
			"{0} will come for booking {1} between {2}.", lang=lang
		).format(doc.technician_name or _("A technician", lang=lang), doc.name, _window(doc))
	if status == Status.ON_THE_WAY:
		return _("Technician on the way", lang=lang), _("{0} has set off for booking {1}.", lang=lang).format(
			doc.technician_name or _("Your technician", lang=lang), doc.name
		)
	if status == Status.AWAITING_CONFIRMATION:
		return _("Please confirm the service", lang=lang), _(
			"The technician has finished booking {0}. Please check and confirm completion.", lang=lang
		).format(doc.name)
	if status == Status.COMPLETED:
		return _("Service completed", lang=lang), _(
			"Booking {0} is completed. Thank you! You can now rate the service.", lang=lang
		).format(doc.name)
	if status == Status.CANCELLED:
		return _("Booking cancelled", lang=lang), _("Booking {0} has been cancelled.", lang=lang).format(
			doc.name
		)
	return None


def on_booking_update(doc, method=None) -> None:
	"""`doc_events` hook: tell the customer when their booking reaches a step they care about."""
	if not doc.has_value_changed("status") or doc.flags.hs_silent:
		return
	user = frappe.db.get_value("HS Customer", doc.customer, "user")
	if not user:
		return
	texts = _customer_messages(doc, lang_of(user))
	if texts:
		notify(user, texts[0], texts[1], booking=doc.name)
