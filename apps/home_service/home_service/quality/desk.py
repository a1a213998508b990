"""Desk actions for staff on complaints and completed bookings: compensation and warranty re-visits."""

import frappe

from home_service.quality import service

STAFF = ("HS Customer Service", "HS Operations Manager", "System Manager")


@frappe.whitelist(methods=["POST"])
def compensate_with_coupon(complaint: str, template: str) -> str:
	frappe.only_for(STAFF)
	frappe.has_permission("HS Complaint", "write", complaint, throw=True)
	return service.compensate_with_coupon(complaint, template)


@frappe.whitelist(methods=["POST"])
def compensate_with_refund(complaint: str, amount: float, reason: str) -> str:
	frappe.only_for(STAFF)
	frappe.has_permission("HS Complaint", "write", complaint, throw=True)
	return service.compensate_with_refund(complaint, amount, reason)


@frappe.whitelist(methods=["POST"])
def create_revisit(
	booking: str, window_start: str, note: str | None = None, complaint: str | None = None
) -> dict:
	frappe.only_for(STAFF)
	frappe.has_permission("HS Booking", "read", booking, throw=True)
	doc = service.create_revisit(booking, window_start, note=note, complaint=complaint)
	return {"booking": doc.name, "status": doc.status, "technician": doc.technician}
