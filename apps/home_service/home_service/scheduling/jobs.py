"""Scheduled work for scheduling: idempotent, driven only by what the database says."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.booking import cancellation
from home_service.booking.lifecycle import Status
from home_service.utils.db import rollback_to


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


def each_isolated(fn, *args) -> bool:
	"""Run one unit of a batch job; a failure is logged and undone without undoing the others."""
	frappe.db.savepoint("hs_job_item")
	try:
		fn(*args)
		return True
	except Exception as e:
		# after a deadlock the whole transaction is gone; the item is re-driven by the next run
		rollback_to("hs_job_item", e)
		frappe.log_error(
			title=f"{fn.__name__} failed", reference_doctype="HS Booking", reference_name=str(args[0])
		)
		return False
