# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document

from home_service.billing import withdrawals


class HSWithdrawal(Document):
	"""A technician's request to be paid out of the available balance (see billing/withdrawals.py).

	Rows are created by `withdrawals.request_withdrawal` and changed only through its functions;
	finance acts through the Approve / Reject buttons, which call the methods below.
	"""

	def validate(self):
		# a Data field, not a Select: any registered gateway that pays out is a valid choice
		if self.is_new() or self.has_value_changed("gateway"):
			withdrawals.validate_payout_gateway(self.gateway)


def on_doctype_update():
	frappe.db.add_unique(
		"HS Withdrawal", ["technician", "idempotency_key"], constraint_name="unique_withdrawal_key"
	)


@frappe.whitelist(methods=["POST"])
def approve(name: str) -> dict:
	doc = withdrawals.approve(name)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def reject(name: str, reason: str) -> dict:
	doc = withdrawals.reject(name, reason)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def check_now(name: str) -> dict:
	"""Ask the provider about an open withdrawal now (same out_bill_no)."""
	withdrawals.require_approver()
	status = withdrawals.submit_payout(name)
	return {"name": name, "status": status}
