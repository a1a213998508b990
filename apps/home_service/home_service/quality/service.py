"""Making good on a complaint: compensation (a coupon or a refund) and the warranty re-visit.

- `compensate_with_coupon(complaint, template)`: one coupon of the template for the customer; issuing
  is idempotent per complaint (the coupon's issue key names it) and the coupon is linked on it.
- `compensate_with_refund(complaint, amount, reason)`: a staff refund on the booking (it waits for
  finance's approval, see billing/refunds.py), linked on the complaint.
- `create_revisit(booking, window_start)`: a free return visit within `warranty_days` of completion
  (HS Quality Settings): a new booking of the same items at the same address, grand total 0 (so it is
  paid on creation), `revisit_of` the original, assigned to the same technician when they are free at
  that time, otherwise dispatched like any paid booking. Once per original booking while one is live.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, get_datetime, now_datetime

from home_service.billing.payments import settle_free_booking
from home_service.billing.refunds import request_staff_refund
from home_service.booking.lifecycle import Status
from home_service.booking.stored_text import stored
from home_service.marketing.coupons import issue_coupon
from home_service.notifications import settings
from home_service.scheduling.holds import NoCapacityError, TechnicianBusyError

COMPLAINT = "HS Complaint"
DEAD = (Status.CANCELLED, Status.REFUNDED)


class CompensationError(frappe.ValidationError):
	http_status_code = 409


class RevisitError(frappe.ValidationError):
	http_status_code = 409


def _complaint(name: str):
	return frappe.get_doc(COMPLAINT, name, for_update=True)


def _link(doc, **values) -> None:
	doc.flags.hs_trusted = True
	doc.update(values)
	doc.save(ignore_permissions=True)


def compensate_with_coupon(complaint: str, template: str) -> str:
	doc = _complaint(complaint)
	if doc.compensation_coupon:
		frappe.throw(
			_("Complaint {0} was already compensated with coupon {1}.").format(
				doc.name, doc.compensation_coupon
			),
			CompensationError,
		)
	coupon = issue_coupon(template, doc.customer, source="Issued", event=f"complaint:{doc.name}")
	_link(doc, compensation_coupon=coupon)
	doc.add_comment("Info", _("Compensated with coupon {0}.").format(coupon))
	return coupon


def compensate_with_refund(complaint: str, amount, reason: str) -> str:
	doc = _complaint(complaint)
	if doc.compensation_refund:
		frappe.throw(
			_("Complaint {0} already has refund {1}.").format(doc.name, doc.compensation_refund),
			CompensationError,
		)
	refund = request_staff_refund(doc.booking, amount, reason)
	_link(doc, compensation_refund=refund.name)
	doc.add_comment("Info", _("Refund {0} requested as compensation.").format(refund.name))
	return refund.name


def create_revisit(booking: str, window_start, note: str | None = None, complaint: str | None = None):
	original = frappe.get_doc("HS Booking", booking, for_update=True)
	if original.status != Status.COMPLETED:
		frappe.throw(_("Only a completed booking can get a warranty re-visit."), RevisitError)
	if original.revisit_of:
		frappe.throw(
			_("A re-visit cannot get a re-visit of its own; use the original booking."), RevisitError
		)
	days = cint(settings().warranty_days)
	ends = add_days(get_datetime(original.completed_on), days)
	if now_datetime() > ends:
		frappe.throw(
			_("The {0}-day warranty of booking {1} ended on {2}.").format(
				days, original.name, frappe.format(ends, "Datetime")
			),
			RevisitError,
		)
	live = frappe.db.get_value(
		"HS Booking", {"revisit_of": original.name, "status": ("not in", DEAD)}, "name"
	)
	if live:
		frappe.throw(_("Booking {0} already has re-visit {1}.").format(original.name, live), RevisitError)
	complaint_doc = _complaint(complaint) if complaint else None
	if complaint_doc and complaint_doc.booking != original.name:
		frappe.throw(_("Complaint {0} is about another booking.").format(complaint))

	doc = frappe.get_doc(
		{
			"doctype": "HS Booking",
			"customer": original.customer,
			"address": original.address,
			"contact_name": original.contact_name,
			"contact_phone": original.contact_phone,
			"items": [
				{"service_item": row.service_item, "spec": row.spec, "quantity": row.quantity}
				for row in original.items
			],
			"window_start": get_datetime(window_start),
			"customer_note": note,
			"source_channel": "Other",
			"revisit_of": original.name,
			"internal_note": _("Warranty re-visit of {0}").format(original.name),
		}
	)
	doc.flags.hs_trusted = True  # revisit_of is server-managed and makes the booking free
	doc.insert(ignore_permissions=True)
	settle_free_booking(doc)  # zero total: paid now, Pending Dispatch
	if original.technician:
		_reserve_same_technician(doc, original.technician)
	if complaint_doc:
		_link(complaint_doc, revisit_booking=doc.name)
	original.add_comment("Info", _("Warranty re-visit {0} created.").format(doc.name))
	return doc


def _reserve_same_technician(doc, technician: str) -> None:
	"""Assign the original technician when they can take the window; otherwise dispatch decides."""
	if frappe.db.get_value("HS Technician", technician, "review_status") != "Approved":
		return
	frappe.db.savepoint("hs_revisit_same_technician")
	try:
		doc.technician = technician
		doc.transition_to(
			Status.ASSIGNED, note=stored("Warranty re-visit: same technician"), actor_role="System"
		)
	except (TechnicianBusyError, NoCapacityError):
		frappe.db.rollback(save_point="hs_revisit_same_technician")
		frappe.clear_last_message()
		doc.reload()
