"""Desk actions for staff: ask for a refund on a booking, approve or reject one; approve or reject
an offline payment (billing/offline_payments.py); apply or waive a technician penalty
(billing/penalties.py)."""

import frappe
from frappe import _

from home_service.billing import offline_payments, penalties, refunds
from home_service.workforce.penalties import PENALTY, require_staff

REQUESTERS = ("HS Finance", "HS Customer Service", "HS Operations Manager", "System Manager")


@frappe.whitelist(methods=["POST"])
def request_refund(booking: str, amount: float, reason: str) -> str:
	frappe.only_for(REQUESTERS)
	return refunds.request_staff_refund(booking, amount, reason).name


@frappe.whitelist(methods=["POST"])
def decide_refund(refund: str, approve: bool, note: str | None = None) -> str:
	refunds.decide(refund, approve=frappe.utils.sbool(approve), note=note)
	return frappe.db.get_value("HS Refund", refund, "status")


@frappe.whitelist(methods=["POST"])
def decide_offline_payment(offline_payment: str, approve: bool, note: str | None = None) -> str:
	"""Finance approves (never their own record) or rejects (`note`: why) an offline payment."""
	if frappe.utils.sbool(approve):
		doc = offline_payments.approve(offline_payment)
	else:
		doc = offline_payments.reject(offline_payment, note)
	return doc.status


@frappe.whitelist(methods=["POST"])
def apply_penalty(name: str) -> dict:
	"""HS Technician Penalty's Apply button: post a draft penalty to the ledger."""
	require_staff()
	frappe.has_permission(PENALTY, "write", name, throw=True)
	doc = penalties.apply(name)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def waive_penalty(name: str, reason: str) -> dict:
	"""HS Technician Penalty's Waive button: reverse an applied penalty, saying why."""
	require_staff()
	frappe.has_permission(PENALTY, "write", name, throw=True)
	if not (reason or "").strip():
		frappe.throw(_("Say why the penalty is waived."))
	doc = penalties.waive(name, reason.strip())
	return {"name": doc.name, "status": doc.status}
