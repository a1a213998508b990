"""Live updates for the dispatch board: one realtime event whenever a booking's place on it changes."""

import frappe

from home_service.booking.lifecycle import Status
from home_service.scheduling.calendar import ASSIGNED_STATUSES

BOARD_EVENT = "hs_dispatch_board"
WATCHED_FIELDS = ("status", "technician", "window_start", "window_end", "needs_manual_dispatch")
# what the board shows: the queue, and the technicians' timelines
UNASSIGNED = (Status.PENDING_DISPATCH, Status.OFFERED)
ON_TIMELINE = (*ASSIGNED_STATUSES, Status.COMPLETED)
ON_BOARD = frozenset((*UNASSIGNED, *ON_TIMELINE))


def on_booking_update(doc, method=None) -> None:
	"""HS Booking on_update (hooks.py): tell every Desk user's board, once the change is committed.

	Only a booking that is or was on a board concerns one: a new booking waiting for payment (most
	bookings made) would otherwise make every open board in its area reload for nothing."""
	if not any(doc.has_value_changed(field) for field in WATCHED_FIELDS):
		return
	previous = doc.get_doc_before_save()
	if doc.status not in ON_BOARD and (previous is None or previous.status not in ON_BOARD):
		return
	frappe.publish_realtime(
		BOARD_EVENT,
		{
			"booking": doc.name,
			"service_area": doc.service_area,
			"status": doc.status,
			"technician": doc.technician,
			"previous_technician": previous.technician if previous else None,
			"date": str(frappe.utils.getdate(doc.window_start)) if doc.window_start else None,
		},
		after_commit=True,  # the site room: Desk (System) users only, never mini-program users
	)
