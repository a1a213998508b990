"""A dispatcher's manual assignment: the one service the dispatch board (and any staff tool) calls.

Same rules and locks as an accepted offer (engine.accept_offer): the technician row is locked first,
then the booking row; the booking controller then checks, under that lock, that the technician is free
(scheduling.holds.assert_assignable) and the lifecycle map allows the change. A booking waiting for
dispatch (Pending Dispatch or Offered) becomes Assigned; an Assigned booking can be given to another
technician until they set off. The technician must be one dispatch could have offered the job to
(scheduling.holds.assert_eligible). Every refusal raises a 409 and saves nothing.
"""

import frappe
from frappe import _

from home_service.booking.lifecycle import Status
from home_service.booking.stored_text import stored
from home_service.booking.timeline import append_event
from home_service.scheduling.availability import job_for_booking
from home_service.scheduling.holds import assert_eligible, lock_technicians

DISPATCHER_ROLES = ("HS Dispatcher", "HS Operations Manager", "System Manager")
ASSIGNABLE = (Status.PENDING_DISPATCH, Status.OFFERED)
REASSIGNABLE = (Status.ASSIGNED,)


class NotAssignableError(frappe.ValidationError):
	http_status_code = 409


def assert_dispatcher() -> None:
	"""frappe.only_for is a no-op under the test runner; this check is not."""
	if frappe.session.user != "Administrator" and not set(DISPATCHER_ROLES) & set(frappe.get_roles()):
		frappe.throw(_("Only dispatchers can assign technicians."), frappe.PermissionError)


def assign(booking: str, technician: str, note: str | None = None):
	"""Give `booking` to `technician` (assign, or reassign while still Assigned); the saved booking."""
	assert_dispatcher()
	tech = frappe.db.get_value("HS Technician", technician, ["name", "technician_name"], as_dict=True)
	if not tech:
		frappe.throw(_("Technician {0} does not exist.").format(technician), frappe.DoesNotExistError)
	if not frappe.db.exists("HS Booking", booking):
		frappe.throw(_("Booking {0} does not exist.").format(booking), frappe.DoesNotExistError)
	frappe.has_permission("HS Booking", "write", booking, throw=True)

	lock_technicians([technician])  # lock order everywhere: technician rows first, then the booking
	doc = frappe.get_doc("HS Booking", booking, for_update=True)
	if doc.status in REASSIGNABLE and doc.technician == technician:
		return doc  # already theirs: a repeated click changes nothing
	if doc.status not in ASSIGNABLE + REASSIGNABLE:
		frappe.throw(
			_("Booking {0} is {1}: only bookings waiting for dispatch or assigned can be assigned.").format(
				doc.name, _(doc.status)
			),
			NotAssignableError,
			title=_("Cannot assign"),
		)
	# whom dispatch could offer it to: approved, in the area, skilled, certificates valid that day
	assert_eligible(job_for_booking(doc), technician, doc.window_start)

	previous = doc.technician_name or doc.technician
	doc.technician = technician
	doc.technician_name = tech.technician_name
	doc.needs_manual_dispatch = 0
	if doc.status in ASSIGNABLE:
		doc.transition_to(
			Status.ASSIGNED,
			note=note or stored("Assigned by a dispatcher to {0}", tech.technician_name),
			actor_role=_acting_role(),
		)  # leaving Offered withdraws the offers still out (dispatch/withdraw_offers.py)
	else:
		doc.flags.hs_system_transition = True  # not a workflow step: the status stays Assigned
		doc.save(ignore_permissions=True)  # the controller re-checks the new technician's time
		_note(
			doc,
			note or stored("Reassigned by a dispatcher from {0} to {1}", previous, tech.technician_name),
		)
	frappe.publish_realtime(
		"hs_booking_assigned", {"booking": doc.name}, doctype="HS Booking", docname=doc.name
	)
	return doc


def _note(doc, note: str) -> None:
	append_event(
		doc.name,
		"Note",
		actor_role=_acting_role(),
		from_status=doc.status,
		to_status=doc.status,
		note=note[:500],
	)


def _acting_role() -> str:
	roles = set(frappe.get_roles())
	return next((r for r in DISPATCHER_ROLES if r in roles), "System Manager")
