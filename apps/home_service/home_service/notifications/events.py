"""Where notifications come from: booking steps, refunds, offers and the visit reminder job."""

import frappe
from frappe import _
from frappe.utils import add_to_date, flt, get_datetime, now_datetime

from home_service.booking.lifecycle import Status
from home_service.notifications import (
	Event,
	customer_recipient,
	emit,
	settings,
	technician_recipient,
)

REMINDED_STATUSES = (Status.ASSIGNED,)


def window_text(doc) -> str:
	start = get_datetime(doc.window_start)
	end = get_datetime(doc.window_end) if doc.window_end else None
	return start.strftime("%m-%d %H:%M") + (end.strftime("–%H:%M") if end else "")


def booking_params(doc) -> dict:
	return {
		"booking": doc.name,
		"window": window_text(doc),
		"technician": doc.technician_name or "",
	}


def booking_event(doc) -> str | None:
	"""The customer-facing event a status change of `doc` is, if any."""
	previous = doc.get_doc_before_save()
	status = doc.status
	if status == Status.PENDING_DISPATCH and previous and previous.status == Status.PENDING_PAYMENT:
		return Event.BOOKING_PAID
	return {
		Status.ASSIGNED: Event.TECHNICIAN_ASSIGNED,
		Status.ON_THE_WAY: Event.ON_THE_WAY,
		Status.AWAITING_CONFIRMATION: Event.SERVICE_FINISHED,
		Status.COMPLETED: Event.BOOKING_COMPLETED,
		Status.CANCELLED: Event.BOOKING_CANCELLED,
	}.get(status)


def customer_texts(doc, event: str):
	def texts(lang: str) -> tuple[str, str]:
		window = window_text(doc)
		if event == Event.BOOKING_PAID:
			return _("Payment received", lang=lang), _(
				"Booking {0} is paid. We are finding a technician for {1}.", lang=lang
			).format(doc.name, window)
		if event == Event.TECHNICIAN_ASSIGNED:
			return _("Technician assigned", lang=lang), _(
				"{0} will come for booking {1} between {2}.", lang=lang
			).format(doc.technician_name or _("A technician", lang=lang), doc.name, window)
		if event == Event.ON_THE_WAY:
			return _("Technician on the way", lang=lang), _(
				"{0} has set off for booking {1}.", lang=lang
			).format(doc.technician_name or _("Your technician", lang=lang), doc.name)
		if event == Event.SERVICE_FINISHED:
			return _("Please confirm the service", lang=lang), _(
				"The technician has finished booking {0}. Please check and confirm completion.", lang=lang
			).format(doc.name)
		if event == Event.BOOKING_COMPLETED:
			return _("Service completed", lang=lang), _(
				"Booking {0} is completed. Thank you! You can now rate the service.", lang=lang
			).format(doc.name)
		return _("Booking cancelled", lang=lang), _("Booking {0} has been cancelled.", lang=lang).format(
			doc.name
		)

	return texts


def on_booking_update(doc, method=None) -> None:
	"""`doc_events` hook on HS Booking: tell the customer when their booking reaches a step
	they care about, on every channel that applies."""
	if not doc.has_value_changed("status"):
		return
	event = booking_event(doc)
	if not event:
		return
	emit(
		event,
		("HS Booking", doc.name),
		[customer_recipient(doc.customer)],
		customer_texts(doc, event),
		params=booking_params(doc),
	)


def on_offer_insert(doc, method=None) -> None:
	"""`doc_events` on HS Dispatch Offer: the technician hears of a new job offer."""
	booking = frappe.db.get_value(
		"HS Booking", doc.booking, ["name", "window_start", "window_end", "address_display"], as_dict=True
	)

	def texts(lang: str):
		return _("New job offer", lang=lang), _(
			"Booking {0} at {1}: accept it in the app.", lang=lang
		).format(booking.name, window_text(booking))

	emit(
		Event.NEW_OFFER,
		("HS Dispatch Offer", doc.name),
		[technician_recipient(doc.technician)],
		texts,
		params={"booking": booking.name, "window": window_text(booking)},
		dedupe=f"offer:{doc.name}",
	)


def on_refund_succeeded(refund) -> None:
	"""`hs_on_refund_succeeded` hook (billing.refunds): the customer hears the money is back."""

	def texts(lang: str):
		return _("Refund completed", lang=lang), _(
			"¥{0} for booking {1} has been refunded to your original payment method.", lang=lang
		).format(f"{flt(refund.amount):.2f}", refund.booking)

	emit(
		Event.REFUND_DONE,
		("HS Refund", refund.name),
		[customer_recipient(refund.customer)],
		texts,
		params={"booking": refund.booking, "amount": f"{flt(refund.amount):.2f}"},
		dedupe=f"refund:{refund.name}",
	)


def send_visit_reminders(limit: int = 500) -> int:
	"""Every five minutes: remind customer and technician N hours (HS Quality Settings) before an
	assigned booking's window. Idempotent: the log's dedupe key refuses a second reminder."""
	hours = flt(settings().visit_reminder_hours)
	if hours <= 0:
		return 0
	now = now_datetime()
	bookings = frappe.get_all(
		"HS Booking",
		filters={
			"status": ("in", REMINDED_STATUSES),
			"window_start": ("between", (now, add_to_date(now, hours=hours))),
		},
		fields=["name", "customer", "technician", "technician_name", "window_start", "window_end"],
		order_by="window_start asc",
		limit=limit,
	)
	sent = 0
	for doc in bookings:

		def texts(lang: str, doc=doc):
			return _("Upcoming visit", lang=lang), _("Booking {0}: the visit is at {1}.", lang=lang).format(
				doc.name, window_text(doc)
			)

		recipients = [customer_recipient(doc.customer)]
		if doc.technician:
			recipients.append(technician_recipient(doc.technician))
		sent += bool(
			emit(
				Event.VISIT_REMINDER,
				("HS Booking", doc.name),
				recipients,
				texts,
				params=booking_params(doc),
				dedupe=f"reminder:{doc.name}:{get_datetime(doc.window_start).isoformat()}",
			)
		)
	return sent
