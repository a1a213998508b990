"""What the customer's booking endpoints answer (api/customer/bookings.py): a created booking, a list
row, the detail with its timeline, the technician's card and what the customer may do now.

Amounts are strings with two decimals; the technician's phone number only once they took the job.
"""

import frappe
from frappe.query_builder import DocType

from home_service.booking import policy, view, workflow
from home_service.booking.lifecycle import NEEDS_TECHNICIAN, Status
from home_service.booking.stored_text import translated
from home_service.quality import booking_checks
from home_service.utils.money import money

S = Status
# the technician's phone number is shown once they have taken the job
PHONE_VISIBLE = NEEDS_TECHNICIAN
EXTRA_DECIDABLE = (S.ARRIVED, S.IN_SERVICE, S.AWAITING_CONFIRMATION)
TECHNICIAN_CARD_FIELDS = (
	"technician_name",
	"rating",
	"rating_count",
	"completed_count",
	"avatar",
	"level",
	"mobile_no",
)
LIST_FIELDS = (
	"name",
	"status",
	"workflow_state",
	"window_start",
	"window_end",
	"is_immediate",
	"grand_total",
	"extra_total",
	"technician_name",
	"address_display",
	"payment_deadline",
	"creation",
)


def fmt_money(value) -> str:
	return f"{money(value):.2f}"


def booking_created(doc) -> dict:
	return {
		"booking": doc.name,
		"status": doc.status,
		"grand_total": fmt_money(doc.grand_total),
		"discount_amount": fmt_money(doc.discount_amount),
		"coupon": doc.coupon_code or None,
		"points_used": doc.points_used or 0,
		"points_deduction": fmt_money(doc.points_deduction),
		"currency": "CNY",
		"payment_deadline": str(doc.payment_deadline) if doc.payment_deadline else None,
		"window_start": str(doc.window_start),
		"window_end": str(doc.window_end),
		"come_now": bool(doc.is_immediate),
		"replayed": bool(doc.flags.hs_replayed),
	}


def items_of(bookings: list[str]) -> dict[str, list[dict]]:
	"""Item lines of bookings already scoped to the caller."""
	if not bookings:
		return {}
	item = frappe.qb.DocType("HS Booking Item")
	rows = (
		frappe.qb.from_(item)
		.select(
			item.parent, item.service_item, item.item_name, item.spec, item.quantity, item.unit, item.amount
		)
		.where(item.parenttype == "HS Booking")
		.where(item.parentfield == "items")
		.where(item.parent.isin(bookings))
		.orderby(item.idx)
	).run(as_dict=True)
	found: dict[str, list[dict]] = {}
	for row in rows:
		found.setdefault(row.parent, []).append(item_out(row))
	return found


def item_out(row) -> dict:
	return {
		"service_item": row.service_item,
		"item_name": row.item_name,
		"spec": row.spec or None,
		"quantity": row.quantity,
		"unit": row.unit or None,
		"amount": fmt_money(row.amount),
	}


def booking_row(row, items: list[dict]) -> dict:
	return {
		"booking": row.name,
		"status": row.status,
		**workflow.shown_state(row.workflow_state, row.status),
		"items": items,
		"window_start": str(row.window_start),
		"window_end": str(row.window_end) if row.window_end else None,
		"come_now": bool(row.is_immediate),
		"grand_total": fmt_money(row.grand_total),
		"extra_total": fmt_money(row.extra_total),
		"technician_name": row.technician_name if row.status in PHONE_VISIBLE else None,
		"address_display": row.address_display,
		"payment_deadline": str(row.payment_deadline)
		if row.status == S.PENDING_PAYMENT and row.payment_deadline
		else None,
		"created_on": str(row.creation),
	}


def booking_detail(doc) -> dict:
	return {
		"booking": doc.name,
		"status": doc.status,
		**workflow.shown_state(doc.workflow_state, doc.status),
		"created_on": str(doc.creation),
		"window_start": str(doc.window_start),
		"window_end": str(doc.window_end) if doc.window_end else None,
		"come_now": bool(doc.is_immediate),
		"duration_minutes": doc.duration_minutes,
		"address": {
			"address": doc.address or None,
			"contact_name": doc.contact_name,
			"contact_phone": doc.contact_phone,
			"address_display": doc.address_display,
		},
		"note": doc.customer_note or None,
		"items": [item_out(row) for row in doc.items],
		"charges": [
			{
				"charge_type": row.charge_type,
				"description": translated(row.description),  # a line may be stored in English
				"amount": fmt_money(row.amount),
			}
			for row in doc.charges
		],
		"extra_charges": [
			{
				"charge": row.name,
				"description": row.description,
				"amount": fmt_money(row.amount),
				"status": row.status,
				"photo": row.photo or None,
				"proposed_on": str(row.proposed_on) if row.proposed_on else None,
				"decided_on": str(row.decided_on) if row.decided_on else None,
			}
			for row in doc.extra_charges
		],
		"amounts": {
			"items_total": fmt_money(doc.items_total),
			"surcharge_total": fmt_money(doc.surcharge_total),
			"discount_amount": fmt_money(doc.discount_amount),
			"points_deduction": fmt_money(doc.points_deduction),
			"grand_total": fmt_money(doc.grand_total),
			"extra_total": fmt_money(doc.extra_total),
			"paid_amount": fmt_money(doc.paid_amount),
			"refunded_amount": fmt_money(doc.refunded_amount),
			"cancellation_fee": fmt_money(doc.cancellation_fee),
			"currency": "CNY",
		},
		"payment_status": doc.payment_status,
		"payment_deadline": str(doc.payment_deadline)
		if doc.status == S.PENDING_PAYMENT and doc.payment_deadline
		else None,
		"cancel_reason": doc.cancel_reason if doc.status in (S.CANCELLED, S.REFUNDED) else None,
		"technician": technician_card(doc),
		"timeline": timeline(doc.name),
		"actions": actions(doc),
	}


def technician_card(doc) -> dict | None:
	"""Who is coming; the phone number only once they have taken the job."""
	if not doc.technician or doc.status not in (*PHONE_VISIBLE, S.EXCEPTION, S.REFUNDED, S.CANCELLED):
		return None
	technician = DocType("HS Technician")
	found = (
		frappe.qb.from_(technician)
		.select(*(technician[f] for f in TECHNICIAN_CARD_FIELDS))
		.where(technician.name == doc.technician)
		.run(as_dict=True)
	)
	if not found:
		return None
	tech = found[0]
	default_rating = frappe.get_cached_doc("HS Settings").default_rating or 5
	return {
		"name": tech.technician_name,
		"avatar": tech.avatar or None,
		"level": tech.level,
		"rating": round(float(tech.rating), 1) if tech.rating_count else float(default_rating),
		"rating_count": tech.rating_count or 0,
		"completed_count": tech.completed_count or 0,
		"phone": tech.mobile_no if doc.status in PHONE_VISIBLE else None,
	}


ACTORS = {"HS Customer": "customer", "HS Technician": "technician", "System": "system"}


def timeline(booking: str) -> list[dict]:
	"""The booking's events (callers have checked the booking is the caller's)."""
	return [
		{
			"at": str(row.timestamp),
			"event": row.event_type,
			"status": row.to_status,
			**workflow.shown_state(row.to_state, row.to_status),
			"note": translated(row.note) or None,
			"by": ACTORS.get(row.actor_role or "System", "staff"),
		}
		for row in view.events(booking)
	]


def actions(doc) -> dict:
	cancel = policy.cancellation_terms(doc)
	reschedule = policy.reschedule_terms(doc)
	review = doc.status == S.COMPLETED and booking_checks.has_review(doc.name)
	open_complaint = doc.status != S.PENDING_PAYMENT and booking_checks.has_open_complaint(doc.name)
	return {
		"can_pay": doc.status == S.PENDING_PAYMENT,
		"can_cancel": cancel.allowed,
		"cancellation_fee_now": fmt_money(cancel.fee) if cancel.allowed else None,
		"free_cancel_until": str(cancel.free_until) if cancel.free_until else None,
		"can_reschedule": reschedule.allowed,
		"can_decide_extra_charges": doc.status in EXTRA_DECIDABLE
		and any(row.status == "Proposed" for row in doc.extra_charges),
		"can_confirm": doc.status == S.AWAITING_CONFIRMATION and workflow.can_step(doc, S.COMPLETED),
		"can_review": doc.status == S.COMPLETED and not review,
		"can_complain": doc.status != S.PENDING_PAYMENT and not open_complaint,
	}
