"""The booking lifecycle: status categories, the transition map and the invariants code owns.

Administrators shape the Desk Workflow (states, buttons, roles); every Workflow state maps onto one
of these categories through its "Update Field" = status. Whatever the Workflow allows, a change of
category must be in TRANSITIONS and must satisfy the invariants below, or nothing is saved.
"""

import frappe
from frappe import _

from home_service.scheduling.statuses import ACTIVE, ALL_STATUSES, CLOSED, UNDER_WAY, S, Status

TRANSITIONS: dict[str, frozenset[str]] = {
	S.PENDING_PAYMENT: frozenset({S.PENDING_DISPATCH, S.CANCELLED, S.EXCEPTION}),
	S.PENDING_DISPATCH: frozenset({S.OFFERED, S.ASSIGNED, S.CANCELLED, S.EXCEPTION}),
	S.OFFERED: frozenset({S.ASSIGNED, S.PENDING_DISPATCH, S.CANCELLED, S.EXCEPTION}),
	S.ASSIGNED: frozenset({S.ON_THE_WAY, S.PENDING_DISPATCH, S.CANCELLED, S.EXCEPTION}),
	S.ON_THE_WAY: frozenset({S.ARRIVED, S.EXCEPTION}),
	S.ARRIVED: frozenset({S.IN_SERVICE, S.EXCEPTION}),
	S.IN_SERVICE: frozenset({S.AWAITING_CONFIRMATION, S.EXCEPTION}),
	S.AWAITING_CONFIRMATION: frozenset({S.COMPLETED, S.IN_SERVICE, S.EXCEPTION}),
	S.COMPLETED: frozenset({S.REFUNDED}),
	S.CANCELLED: frozenset({S.REFUNDED}),
	S.REFUNDED: frozenset(),
	S.EXCEPTION: frozenset(
		{S.PENDING_DISPATCH, S.ASSIGNED, S.IN_SERVICE, S.COMPLETED, S.CANCELLED, S.REFUNDED}
	),
}

NEEDS_TECHNICIAN = frozenset(
	{S.ASSIGNED, S.ON_THE_WAY, S.ARRIVED, S.IN_SERVICE, S.AWAITING_CONFIRMATION, S.COMPLETED}
)
# dispatch, the visit and its completion: a priced booking enters these only with the customer's money held
NEEDS_PAYMENT = ACTIVE | {S.COMPLETED}
MONEY_HELD = frozenset({"Paid", "Partially Refunded"})

# the moment each category is entered is recorded on the booking
TIMESTAMP_FIELD = {
	S.ASSIGNED: "assigned_on",
	S.ON_THE_WAY: "departed_on",
	S.ARRIVED: "arrived_on",
	S.IN_SERVICE: "started_on",
	S.AWAITING_CONFIRMATION: "finished_on",
	S.COMPLETED: "completed_on",
	S.CANCELLED: "cancelled_on",
}


class InvalidTransitionError(frappe.ValidationError):
	http_status_code = 409


class TransitionInvariantError(frappe.ValidationError):
	http_status_code = 409


def is_allowed(from_status: str, to_status: str) -> bool:
	return from_status == to_status or to_status in TRANSITIONS.get(from_status, ())


def assert_allowed(from_status: str, to_status: str) -> None:
	if not is_allowed(from_status, to_status):
		frappe.throw(
			_("A booking cannot move from {0} to {1}.").format(_(from_status), _(to_status)),
			InvalidTransitionError,
			title=_("Status change not allowed"),
		)


def assert_invariants(doc, from_status: str | None, to_status: str) -> None:
	"""Rules that hold whatever path (API, Desk workflow, script) changes the status."""
	if to_status in NEEDS_TECHNICIAN and not doc.technician:
		_fail(_("A technician must be assigned before the booking can be {0}.").format(_(to_status)))
	if entering_unpaid(doc, from_status, to_status):
		_fail(_("The booking must be paid before it can be dispatched."))
	if to_status == S.REFUNDED and frappe.utils.flt(doc.paid_amount) <= 0:
		_fail(_("Only a paid booking can be refunded."))


def entering_unpaid(doc, from_status: str | None, to_status: str) -> bool:
	"""Any way into dispatch or service (Pending Payment, or Exception then Re-dispatch / Close as
	Completed, or an administrator's new transition) is closed to a priced booking without money held."""
	return (
		to_status in NEEDS_PAYMENT
		and from_status not in NEEDS_PAYMENT
		and doc.payment_status not in MONEY_HELD
		and frappe.utils.flt(doc.grand_total) > 0
	)


def _fail(message: str) -> None:
	frappe.throw(message, TransitionInvariantError, title=_("Status change not allowed"))
