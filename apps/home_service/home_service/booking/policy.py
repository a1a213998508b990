"""Cancelling and rescheduling under the policy in HS Settings.

- Cancelling is possible until the technician sets off (On The Way or later: refused). It is free
  until `free_cancel_hours` before the arrival window starts; after that `late_cancel_fee_percent`
  of the booking's grand total is kept as a fee, recorded on the booking as `cancellation_fee`. An
  unpaid booking has nothing to keep, so its fee is always 0, and the fee never exceeds what was paid.
- Rescheduling follows the same windows: free until `free_cancel_hours` before the current window,
  refused after that (the customer can still cancel, with the fee) and refused once the technician
  has set off. The new window must be one we offer; capacity is checked again (see `reschedule`).
- Staff and jobs may also cancel a booking in Exception: wherever the lifecycle allows Cancelled
  (`STAFF_CANCELLABLE`), under the same fee.
- Cancelling itself (reason, fee, refund, offers) is booking/cancellation.py; the refund belongs to
  billing, called through the hook `hs_on_booking_cancelled`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import flt, get_datetime, now_datetime

from home_service.booking.lifecycle import TRANSITIONS, Status
from home_service.booking.stored_text import stored
from home_service.booking.timeline import append_event
from home_service.scheduling.availability import is_free, job_for_booking
from home_service.scheduling.calendar import calendars_around
from home_service.scheduling.holds import TechnicianBusyError
from home_service.scheduling.settings import get_settings
from home_service.utils import extensions
from home_service.utils.money import ZERO, money, percent_of

# before the technician sets off
CHANGEABLE = (Status.PENDING_PAYMENT, Status.PENDING_DISPATCH, Status.OFFERED, Status.ASSIGNED)
# staff and jobs: wherever the lifecycle allows a cancellation (also Exception)
STAFF_CANCELLABLE = tuple(s for s, allowed in TRANSITIONS.items() if Status.CANCELLED in allowed)


class PolicyError(frappe.ValidationError):
	"""The booking's state or the policy does not allow this change now (409)."""

	http_status_code = 409


@dataclass
class Terms:
	allowed: bool
	fee: Decimal = ZERO
	free_until: datetime | None = None
	reason: str | None = None

	def as_dict(self) -> dict:
		return {
			"allowed": self.allowed,
			"fee": f"{self.fee:.2f}",
			"free_until": str(self.free_until) if self.free_until else None,
			"reason": self.reason,
		}


def _policy() -> tuple[float, float]:
	settings = frappe.get_cached_doc("HS Settings")
	return flt(settings.free_cancel_hours), flt(settings.late_cancel_fee_percent)


def _not_changeable(doc) -> str:
	if doc.status in (Status.CANCELLED, Status.REFUNDED):
		return _("This booking is already cancelled.")
	if doc.status in (Status.COMPLETED, Status.AWAITING_CONFIRMATION):
		return _("This booking is already finished.")
	if doc.status == Status.EXCEPTION:
		return _("This booking is being handled by customer service. Please contact them.")
	return _("The technician is already on the way, so the booking can no longer be changed.")


def free_until(doc) -> datetime:
	hours, _percent = _policy()
	return get_datetime(doc.window_start) - timedelta(hours=hours)


def cancellation_terms(doc, now: datetime | None = None, staff: bool = False) -> Terms:
	"""Whether `doc` can be cancelled now (by the customer, or by `staff` and jobs) and the fee kept."""
	if doc.status not in (STAFF_CANCELLABLE if staff else CHANGEABLE):
		return Terms(False, reason=_not_changeable(doc))
	now = now or now_datetime()
	_hours, percent = _policy()
	until = free_until(doc)
	paid = money(doc.paid_amount)
	fee = ZERO
	if now >= until and paid > ZERO:
		fee = min(percent_of(money(doc.grand_total), percent), paid)
	return Terms(True, fee=fee, free_until=until)


def reschedule_terms(doc, now: datetime | None = None) -> Terms:
	if doc.status not in CHANGEABLE:
		return Terms(False, reason=_not_changeable(doc))
	hours, _percent = _policy()
	until = free_until(doc)
	if (now or now_datetime()) >= until:
		return Terms(
			False,
			free_until=until,
			reason=_(
				"A booking can be rescheduled until {0} hours before its arrival window. You can still cancel it."
			).format(_fmt_hours(hours)),
		)
	return Terms(True, free_until=until)


def reschedule(doc, start: datetime, actor_role: str = "HS Customer") -> None:
	"""Move `doc` (locked by the caller) to the arrival window starting at `start`.

	Capacity is checked again by the booking itself: a booking still held (unpaid or being
	dispatched) re-holds a free technician's time, an assigned one runs the technician's conflict
	check under their row lock. Either raises a 409 when the new window is not available. An
	assigned technician must also work at the new time; an offered booking goes back to dispatch for
	the new window, and the functions under the hook `hs_on_booking_rescheduled` (dispatch: withdraw
	the offers made for the old one) are called with (booking, previous start).
	"""
	terms = reschedule_terms(doc)
	if not terms.allowed:
		frappe.throw(terms.reason, PolicyError, title=_("Cannot reschedule"))
	previous = get_datetime(doc.window_start)
	if previous == start:
		return
	if doc.status == Status.ASSIGNED and doc.technician:
		assert_technician_works(doc, start)
	doc.window_start = start
	doc.is_immediate = 0
	note = stored("Rescheduled from {0} to {1}", _fmt(previous), _fmt(start))
	if doc.status == Status.OFFERED:
		doc.transition_to(Status.PENDING_DISPATCH, note=note, actor_role=actor_role)
	else:
		doc.save(ignore_permissions=True)
		append_event(
			doc.name,
			"Note",
			actor_role=actor_role,
			from_status=doc.status,
			to_status=doc.status,
			from_state=doc.workflow_state,
			to_state=doc.workflow_state,
			note=note,
		)
	extensions.emit("hs_on_booking_rescheduled", doc, previous)


def assert_technician_works(doc, start: datetime) -> None:
	"""Advisory pre-check with working hours (the locking check in the booking skips hours)."""
	calendar = calendars_around([doc.technician], start)[doc.technician]
	if not is_free(calendar, start, job_for_booking(doc), get_settings(), ignore=doc.name):
		frappe.throw(
			_("Your technician is not available at that time. Please choose another time."),
			TechnicianBusyError,
			title=_("Technician not available"),
		)


def _fmt(moment: datetime) -> str:
	return get_datetime(moment).strftime("%Y-%m-%d %H:%M")


def _fmt_hours(hours: float) -> str:
	return f"{hours:g}"
