"""Scheduled work on bookings: idempotent, driven only by what the database says."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.booking import cancellation
from home_service.booking.lifecycle import Status
from home_service.utils.batch import each_isolated


def release_expired_holds(limit: int = 500) -> int:
	"""Cancel unpaid bookings whose payment window has passed, which frees the held technician."""
	expired = frappe.get_all(
		"HS Booking",
		filters={"status": Status.PENDING_PAYMENT, "payment_deadline": ("<", now_datetime())},
		pluck="name",
		limit=limit,
		order_by="payment_deadline asc",
	)
	for name in expired:
		each_isolated(release_hold, name)
	return len(expired)


def release_hold(name: str) -> None:
	doc = frappe.get_doc("HS Booking", name, for_update=True)
	if doc.status != Status.PENDING_PAYMENT:
		return  # paid or cancelled meanwhile
	# the same path as any cancellation, so the hs_on_booking_cancelled hooks run (coupon, points)
	cancellation.cancel(doc, _("Not paid in time"), actor_role="System")
