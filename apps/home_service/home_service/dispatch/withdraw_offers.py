"""A booking that stops being offered has no offer left Pending, whichever way it stopped.

One rule, `on_booking_update` (an HS Booking `doc_events` on_update, hooks.py): a save that moves the
booking out of Offered withdraws the offers still pending, in the same transaction. That covers every
path out of Offered as a class: a dispatcher's manual assignment (dispatch/manual.py), Desk's Workflow
actions (Assign, Release, Report Exception, Cancel, or a transition an administrator adds), the
round closing into the dispatcher queue, a cancellation, a script. Accepting an offer is no exception:
`engine.accept_offer` closes the accepted offer first, so the rule withdraws the others.

Booking also calls these through its own hooks, so it never imports dispatch: a cancelled booking
(`hs_on_booking_cancelled`, whoever cancelled it, also from Exception or Pending Dispatch) and a
rescheduled one (`hs_on_booking_rescheduled`: the offers were for the old window; dispatch starts
again for the new one).

Lock order: the booking row (locked by its save, or by the caller before it), then the offers.
"""

import frappe

from home_service.booking.lifecycle import Status
from home_service.dispatch.engine import close_offer, pending_offers


def on_booking_update(doc, method=None) -> None:
	"""HS Booking on_update: leaving Offered, by any path, withdraws the offers still pending."""
	previous = doc.get_doc_before_save()
	if previous is not None and previous.status == Status.OFFERED and doc.status != Status.OFFERED:
		withdraw(doc.name)


def on_booking_cancelled(booking, fee=None) -> None:
	withdraw(booking.name)


def on_booking_rescheduled(booking, previous_start=None) -> None:
	withdraw(booking.name)


def withdraw(booking: str) -> None:
	"""Close the booking's pending offers as Withdrawn (the caller holds the booking's row lock)."""
	for offer in pending_offers(booking):
		close_offer(frappe.get_doc("HS Dispatch Offer", offer, for_update=True), "Withdrawn")
