"""Desk actions for staff: ask for a refund on a booking, approve or reject one."""

import frappe

from home_service.billing import refunds

REQUESTERS = ("HS Finance", "HS Customer Service", "HS Operations Manager", "System Manager")


@frappe.whitelist(methods=["POST"])
def request_refund(booking: str, amount: float, reason: str) -> str:
	frappe.only_for(REQUESTERS)
	return refunds.request_staff_refund(booking, amount, reason).name


@frappe.whitelist(methods=["POST"])
def decide_refund(refund: str, approve: bool, note: str | None = None) -> str:
	refunds.decide(refund, approve=frappe.utils.sbool(approve), note=note)
	return frappe.db.get_value("HS Refund", refund, "status")
