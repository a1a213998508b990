"""Desk actions on a booking: the booking form's Cancel dialog (hs_booking.js).

The form intercepts the Workflow action that cancels, shows `cancellation_preview` (the fee the policy
keeps and the refund), asks for the reason and calls `cancel_booking`, which cancels through the
Workflow's own action (its roles and conditions decide who may) and the cancellation service.
"""

import frappe

from home_service.booking import cancellation
from home_service.utils.text import clean_text

MAX_REASON = 200


@frappe.whitelist(methods=["GET"])
def cancellation_preview(booking: str, action: str) -> dict:
	"""What the Workflow action `action` (one that cancels) would do to `booking` now."""
	doc = frappe.get_doc("HS Booking", booking)
	doc.check_permission("read")
	cancellation.assert_cancels(doc, action)
	return cancellation.preview(doc, actor_role=None)


@frappe.whitelist(methods=["POST"])
def cancel_booking(booking: str, action: str, reason: str, fee: str | None = None) -> dict:
	"""Cancel `booking` with the Workflow action `action`; `fee`: the fee the dialog showed (a
	different fee now is refused with 409, nothing changes)."""
	reason = clean_text(reason, "Reason", MAX_REASON, required=True, multiline=True)
	doc = frappe.get_doc("HS Booking", booking, for_update=True)
	doc.check_permission("write")
	cancellation.cancel(doc, reason, actor_role=None, expected_fee=fee, workflow_action=action)
	return doc.as_dict()
