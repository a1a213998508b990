"""Booking a service and following it: slots, quote, create, list, detail, cancel, reschedule,
extra charges and confirming completion.

Prices, windows, capacity and every status change are the server's: the client sends what it wants
(items, an address of its own, a window) and reads back what the server decided. What the endpoints
accept is checked in booking_parsing.py, what they answer is shaped in booking_shapes.py.
"""

from datetime import timedelta
from typing import Annotated

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate

from home_service.api.arguments import Range
from home_service.api.customer.booking_parsing import (
	conflict,
	idempotency_key_of,
	invalid,
	parse_date,
	parse_items,
	parse_window,
	request_channel,
	serviceable,
)
from home_service.api.customer.booking_shapes import (
	EXTRA_DECIDABLE,
	LIST_FIELDS,
	booking_created,
	booking_detail,
	booking_row,
	items_of,
)
from home_service.api.customer.scope import (
	ROLE,
	current_customer,
	new_booking_rows,
	not_found,
	own_booking,
	own_place,
)
from home_service.api.registry import endpoint, page_args, paged
from home_service.booking import cancellation, policy, service, view, workflow
from home_service.booking.extras import decide
from home_service.booking.lifecycle import UNDER_WAY, Status
from home_service.booking.stored_text import stored
from home_service.catalog.pricing import compute_quote
from home_service.marketing import checkout
from home_service.notifications.inbox import lang_of, notify
from home_service.scheduling.availability import available_slots, job_for
from home_service.utils.money import money
from home_service.utils.text import clean_name, clean_text

TAG = "customer/bookings"
S = Status
STATUS_GROUPS = {
	"to_pay": (S.PENDING_PAYMENT,),
	"in_progress": (*UNDER_WAY, S.EXCEPTION),
	"to_confirm": (S.AWAITING_CONFIRMATION,),
	"completed": (S.COMPLETED,),
	"cancelled": (S.CANCELLED, S.REFUNDED),
}
MAX_NOTE, MAX_SLOT_DAYS = 500, 14
MAX_SHOWN_CAPACITY = 5  # a window's capacity as customers see it: enough for "only 2 left"


# --- before booking -----------------------------------------------------------------------------
@endpoint(roles=ROLE, tag=TAG)
def get_slots(
	item: str,
	address: str,
	date_from: str | None = None,
	date_to: str | None = None,
	spec: str | None = None,
	quantity: float = 1,
) -> dict:
	"""Arrival windows for one service at my address, day by day (at most 14 days, default 7).

	Each window is `{start, end, available, capacity}`: `capacity` is how many technicians could
	still take the job in that window, capped at 5 (enough to show "only 2 left" without telling the
	size of the workforce); `available` is `capacity > 0`.
	"""
	rows = parse_items([{"service_item": item, "spec": spec, "quantity": quantity}])
	first = parse_date(date_from, "date_from") or getdate(nowdate())
	last = parse_date(date_to, "date_to") or first + timedelta(days=6)
	if last < first or (last - first).days >= MAX_SLOT_DAYS:
		invalid(_("Ask for 1 to {0} days at a time.").format(MAX_SLOT_DAYS))
	place = own_place(address, current_customer())
	job = job_for(rows, place.service_area, place.latitude, place.longitude)
	days: dict[str, list] = {}
	for slot in available_slots(job, first, last):
		days.setdefault(str(slot["start"].date()), []).append(
			{
				"start": str(slot["start"]),
				"end": str(slot["end"]),
				"available": slot["available"],
				"capacity": min(slot["capacity"], MAX_SHOWN_CAPACITY),
			}
		)
	return {
		"address": place.name,
		"duration_minutes": int(job.duration.total_seconds() // 60),
		"days": [{"date": day, "windows": windows} for day, windows in days.items()],
	}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def get_quote(
	items: list[dict],
	address: str,
	window_start: str | None = None,
	come_now: bool = False,
	coupon: str | None = None,
	points: Annotated[int, Range(0)] = 0,
) -> dict:
	"""The price breakdown for items at my address in a window (or right now), as it would be booked.

	With `coupon` (one of my coupons) and/or `points`, `deductions` lists what they take off and
	`grand_total` is what I would pay; `max_points` is the most points this order can take.
	"""
	rows = parse_items(items)
	start = now_datetime() if come_now else parse_window(window_start)
	coupon = clean_name(coupon, "Coupon") if coupon else None
	customer = current_customer()
	place = serviceable(own_place(address, customer))
	quote = compute_quote(rows, start, place.service_area, place.latitude, place.longitude)
	offers = checkout.evaluate(customer, quote, place.service_area, coupon, points)
	return {**quote.as_dict(), **offers.as_dict(), "window_start": str(start), "come_now": bool(come_now)}


# --- booking --------------------------------------------------------------------------------------
@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def create_booking(
	items: list[dict],
	address: str,
	window_start: str | None = None,
	come_now: bool = False,
	note: str | None = None,
	idempotency_key: str | None = None,
	coupon: str | None = None,
	points: Annotated[int, Range(0)] = 0,
) -> dict:
	"""Book items at my address for a window (or `come_now`); the booking waits for payment.

	`coupon` (one of my Available coupons) and `points` are locked to the booking at once and come
	off its price; a coupon or points the order cannot use answer 409/422 and nothing is booked.

	`idempotency_key` (or the Idempotency-Key header) is required: 8–64 letters, digits or `_.:-`,
	new for every booking the user means to make. A retried request with the same key returns the
	booking the first one created (`replayed: true`), whatever else it sends.
	"""
	key = idempotency_key_of(idempotency_key)
	rows = parse_items(items)
	note = clean_text(note, "Note", MAX_NOTE, multiline=True)
	coupon = clean_name(coupon, "Coupon") if coupon else None
	customer_row, replayed, place = new_booking_rows(address, key)
	customer = customer_row.name
	if replayed:
		return booking_created(service.replayed_doc(replayed))
	# the window is checked against the clock after a replay: a retry of a booking made a moment
	# ago must not fail because its window has since closed
	start = None if come_now else parse_window(window_start)
	place = serviceable(place or own_place(address, customer))  # own_place: the 422 or 404 it is
	doc = service.create_booking(
		customer,
		place.name,
		rows,
		window_start=start,
		is_immediate=bool(come_now),
		customer_note=note,
		source_channel=request_channel(),
		idempotency_key=key,
		coupon=coupon,
		points=points,
		address_doc=place,
		customer_row=customer_row,
	)
	# a concurrent retry with the same key may have won: then this is its booking
	return booking_created(doc)


@endpoint(roles=ROLE, tag=TAG)
def list_bookings(status_group: str | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""My bookings, newest first; `status_group`: to_pay, in_progress, to_confirm, completed, cancelled."""
	filters: dict = {"customer": current_customer()}
	if status_group:
		if status_group not in STATUS_GROUPS:
			invalid(_("status_group must be one of: {0}.").format(", ".join(STATUS_GROUPS)))
		filters["status"] = ("in", STATUS_GROUPS[status_group])
	start, length = page_args(page, page_size)
	rows = frappe.get_list(
		"HS Booking",
		filters=filters,
		fields=list(LIST_FIELDS),
		order_by="creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	items = items_of([row.name for row in rows])
	total = frappe.db.count("HS Booking", filters)
	return paged([booking_row(row, items.get(row.name, [])) for row in rows], total, start, length)


@endpoint(roles=ROLE, tag=TAG)
def get_booking(booking: str) -> dict:
	"""One of my bookings: items, charges, extra charges, timeline, technician and what I can do now."""
	doc = view.customer_booking(clean_name(booking, "Booking"), current_customer())
	if doc is None:
		not_found("Booking")
	return booking_detail(doc)


# --- changing a booking -------------------------------------------------------------------------
@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def cancel_booking(booking: str, reason: str | None = None) -> dict:
	"""Cancel my booking: free until the policy's deadline, then with a late fee; refused once the
	technician has set off. Cancelling an already cancelled booking answers the same again."""
	reason = clean_text(reason, "Reason", 200) or _("Cancelled by the customer")
	doc = own_booking(booking, current_customer(), for_update=True)
	if doc.status != S.CANCELLED:
		cancellation.cancel(doc, reason)  # which tells the technician, if one had the job
	return {
		"booking": doc.name,
		"status": doc.status,
		**workflow.shown_state(doc.workflow_state, doc.status),
		"cancellation_fee": f"{money(doc.cancellation_fee):.2f}",
		"refund_due": f"{max(money(doc.paid_amount) - money(doc.cancellation_fee), money(0)):.2f}",
	}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def reschedule_booking(booking: str, window_start: str) -> dict:
	"""Move my booking to another arrival window (before the policy's deadline and before the
	technician sets off). 409 when nobody is free in the new window."""
	start = parse_window(window_start)
	doc = own_booking(booking, current_customer(), for_update=True)
	policy.reschedule(doc, start)
	if doc.technician and doc.status == S.ASSIGNED:
		notify_rescheduled(doc.technician, doc, str(start))
	return booking_detail(doc)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def approve_extra_charge(booking: str, charge: str) -> dict:
	"""Accept an extra charge the technician proposed on site; it is added to what I pay."""
	return decide_extra(booking, charge, approve=True)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def decline_extra_charge(booking: str, charge: str) -> dict:
	"""Decline an extra charge the technician proposed on site."""
	return decide_extra(booking, charge, approve=False)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def confirm_completion(booking: str) -> dict:
	"""Confirm the technician finished the job (Awaiting Confirmation → Completed)."""
	doc = own_booking(booking, current_customer(), for_update=True)
	if not workflow.already_taken(doc, S.COMPLETED):
		if doc.status != S.AWAITING_CONFIRMATION:
			conflict(_("Only a finished service can be confirmed."))
		if any(row.status == "Proposed" for row in doc.extra_charges):
			conflict(_("Please approve or decline the proposed extra charges first."))
		# along the site's Workflow: a state an administrator added before Completed is entered first
		doc.take_step(S.COMPLETED, note=stored("Confirmed by the customer"), actor_role="HS Customer")
	return {
		"booking": doc.name,
		"status": doc.status,
		**workflow.shown_state(doc.workflow_state, doc.status),
		"completed_on": str(doc.completed_on) if doc.completed_on else None,
	}


def decide_extra(booking: str, charge: str, approve: bool) -> dict:
	charge = clean_name(charge, "Extra charge")
	doc = own_booking(booking, current_customer(), for_update=True)
	row = next((r for r in doc.extra_charges if r.name == charge), None)
	if row is None:
		frappe.throw(_("Extra charge not found."), frappe.DoesNotExistError)
	if doc.status not in EXTRA_DECIDABLE:
		conflict(_("Extra charges can no longer be changed on this booking."))
	if row.status != "Proposed":
		conflict(_("This extra charge was already {0}.").format(_(row.status)))
	decide(doc, charge, approve)
	return {
		"booking": doc.name,
		"charge": charge,
		"status": row.status,
		"extra_total": f"{money(doc.extra_total):.2f}",
		"amount_due": f"{money(doc.grand_total) + money(doc.extra_total):.2f}",
	}


def notify_rescheduled(technician: str, doc, start: str) -> None:
	"""Tell the assigned technician that the customer moved the job."""
	user = frappe.db.get_value("HS Technician", technician, "user")
	if not user:
		return
	lang = lang_of(user)
	body = _("Booking {0} now starts at {1}.", lang=lang).format(doc.name, start)
	notify(user, _("Booking rescheduled", lang=lang), body, booking=doc.name)
