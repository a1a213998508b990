"""Offers still out for a booking that stops being dispatched are withdrawn.

Booking calls these through its hooks (hooks.py), so it never imports dispatch: a cancelled booking
(`hs_on_booking_cancelled`, whoever cancelled it) and a rescheduled one (`hs_on_booking_rescheduled`:
the offers were for the old window; dispatch starts again for the new one).
"""

import frappe

from home_service.dispatch.engine import close_offer, pending_offers


def on_booking_cancelled(booking, fee=None) -> None:
	withdraw(booking.name)


def on_booking_rescheduled(booking, previous_start=None) -> None:
	withdraw(booking.name)


def withdraw(booking: str) -> None:
	"""Close the booking's pending offers as Withdrawn (the caller holds the booking's row lock)."""
	for offer in pending_offers(booking):
		close_offer(frappe.get_doc("HS Dispatch Offer", offer, for_update=True), "Withdrawn")
