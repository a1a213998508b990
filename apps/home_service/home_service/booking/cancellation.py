"""Cancelling a booking: one service, whoever asks (the customer's API, staff in Desk, jobs).

Every way into Cancelled ends in the same state, because the booking itself runs `prepare` and
`finish` on any save that enters Cancelled (HSBooking.validate / on_update), including Desk's
Workflow action, a list's bulk action and a script:
- the reason (given, or one naming who cancelled) is the booking's `cancel_reason` and the note of
  the timeline event, which records the user and the role who cancelled;
- the policy's fee (booking/policy.py) is kept as `cancellation_fee`;
- the technician time held for the booking is released (it leaves the held and assigned statuses);
- the functions under the hook `hs_on_booking_cancelled` are called with (booking, fee) in the same
  transaction: billing refunds what was paid minus the fee, marketing gives an unpaid booking's
  coupon and points back, dispatch withdraws the offers still out.

`cancel` checks who may cancel now; Desk's dialog (booking/desk.py) shows `preview` first and then
cancels through the Workflow's own action, so the Workflow's roles and conditions decide who may.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.utils import get_fullname

from home_service.booking import policy
from home_service.booking.lifecycle import InvalidTransitionError, Status
from home_service.booking.workflow import active_workflow, category_of
from home_service.utils import extensions
from home_service.utils.money import ZERO, money

CUSTOMER = "HS Customer"


class FeeChangedError(policy.PolicyError):
	"""The fee is no longer the one the person was shown (the free period ended meanwhile): 409."""


def terms(doc, actor_role: str | None = CUSTOMER) -> policy.Terms:
	"""The customer may cancel until the technician sets off; staff and jobs wherever the lifecycle
	allows it (also from Exception). The fee is the policy's either way."""
	return policy.cancellation_terms(doc, staff=actor_role != CUSTOMER)


def preview(doc, actor_role: str | None) -> dict:
	"""What cancelling `doc` now would do: allowed (or why not), the fee kept and the refund."""
	shown = terms(doc, actor_role)
	paid = money(doc.paid_amount) - money(doc.refunded_amount)
	return {
		**shown.as_dict(),
		"paid": f"{paid:.2f}",
		"refund": f"{max(paid - shown.fee, ZERO):.2f}" if shown.allowed else None,
		"currency": doc.currency or "CNY",
	}


def cancel(
	doc,
	reason: str,
	actor_role: str | None = CUSTOMER,
	expected_fee: str | Decimal | None = None,
	workflow_action: str | None = None,
) -> Decimal:
	"""Cancel `doc` (locked by the caller) and return the fee kept.

	`actor_role`: "HS Customer" (the customer's rules), "System" (a job), None (the session user's
	role: Desk). `expected_fee`: the fee the person was shown; if the policy now gives another (the free period
	ended meanwhile) nothing changes and FeeChangedError (409) says so. `workflow_action`: Desk's
	Workflow action that cancels (its roles and conditions apply); otherwise the step follows the
	site's Workflow as any API step does (booking/workflow.py).
	"""
	allowed = terms(doc, actor_role)
	if not allowed.allowed:
		frappe.throw(allowed.reason, policy.PolicyError, title=_("Cannot cancel"))
	doc.flags.hs_cancel = frappe._dict(reason=reason, expected_fee=expected_fee)
	if workflow_action:
		assert_cancels(doc, workflow_action)
		apply_workflow(doc, workflow_action)
	else:
		doc.take_step(Status.CANCELLED, note=reason, actor_role=actor_role)
	return money(doc.cancellation_fee)


def assert_cancels(doc, action: str) -> None:
	"""`action` is a Workflow transition from the booking's state into a Cancelled state."""
	workflow = active_workflow()
	cancels = workflow and any(
		t.state == doc.workflow_state
		and t.action == action
		and category_of(workflow, t.next_state) == Status.CANCELLED
		for t in workflow.transitions
	)
	if not cancels:
		frappe.throw(
			_("{0} does not cancel a booking that is {1}.").format(_(action), _(doc.workflow_state)),
			InvalidTransitionError,
			title=_("Cannot cancel"),
		)


# --- run by HSBooking on every save that enters Cancelled ---------------------------------------
def prepare(doc) -> None:
	"""validate: the reason, the fee and the timeline note, before the booking is written.

	`doc.flags.hs_cancel` (set by `cancel`): `reason`, `expected_fee`, and `at`, the moment the fee is
	reckoned at (now; the demo loader replays past cancellations). Without a reason given, one a
	script set on `cancel_reason`, else one naming the user."""
	request = doc.flags.hs_cancel or frappe._dict()
	previous = doc.get_doc_before_save()
	# the lifecycle has allowed the move: the staff rules hold, only the fee is asked for
	fee = policy.cancellation_terms(previous, now=request.at, staff=True).fee
	if request.expected_fee not in (None, "") and money(request.expected_fee) != fee:
		frappe.throw(
			_("The cancellation fee is now {0}. Please review it and confirm again.").format(f"{fee:.2f}"),
			FeeChangedError,
			title=_("Cannot cancel"),
		)
	reason = (
		request.reason or doc.cancel_reason or _("Cancelled by {0}").format(get_fullname(frappe.session.user))
	)
	doc.cancel_reason = reason
	doc.cancellation_fee = fee
	event = doc.flags.hs_event or {}
	doc.flags.hs_event = {**event, "note": event.get("note") or reason}


def finish(doc) -> None:
	"""on_update: refund, coupon and points, offers (the hooks), in the cancelling transaction."""
	fee = money(doc.cancellation_fee)
	extensions.emit("hs_on_booking_cancelled", doc, fee)
