"""Booking a service and following it: slots, quote, create, list, detail, cancel, reschedule,
extra charges and confirming completion.

Prices, windows, capacity and every status change are the server's: the client sends what it wants
(items, an address of its own, a window) and reads back what the server decided.
"""

import math
import re
from datetime import datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import get_datetime, get_system_timezone, getdate, now_datetime, nowdate

from home_service.access.tokens import token_client
from home_service.api.arguments import Range
from home_service.api.customer.scope import (
	ROLE,
	ConflictError,
	current_customer,
	new_booking_rows,
	not_found,
	own_booking,
	own_place,
)
from home_service.api.registry import endpoint, page_args, paged
from home_service.booking import cancellation, policy, service, view, workflow
from home_service.booking.extras import decide
from home_service.booking.lifecycle import NEEDS_TECHNICIAN, Status
from home_service.booking.stored_text import stored, translated
from home_service.catalog.pricing import compute_quote
from home_service.marketing import checkout
from home_service.notifications.inbox import lang_of, notify
from home_service.quality import booking_checks
from home_service.scheduling.availability import (
	SchedulingError,
	available_slots,
	bookable_window,
	job_for,
	windows_for_day,
)
from home_service.scheduling.settings import get_settings
from home_service.utils.money import money
from home_service.utils.text import InvalidInputError, clean_name, clean_text

TAG = "customer/bookings"
S = Status
STATUS_GROUPS = {
	"to_pay": (S.PENDING_PAYMENT,),
	"in_progress": (
		S.PENDING_DISPATCH,
		S.OFFERED,
		S.ASSIGNED,
		S.ON_THE_WAY,
		S.ARRIVED,
		S.IN_SERVICE,
		S.EXCEPTION,
	),
	"to_confirm": (S.AWAITING_CONFIRMATION,),
	"completed": (S.COMPLETED,),
	"cancelled": (S.CANCELLED, S.REFUNDED),
}
# the technician's phone number is shown once they have taken the job
PHONE_VISIBLE = NEEDS_TECHNICIAN
EXTRA_DECIDABLE = (S.ARRIVED, S.IN_SERVICE, S.AWAITING_CONFIRMATION)
MAX_ITEMS, MAX_QUANTITY, MAX_NOTE, MAX_SLOT_DAYS = 10, 1000, 500, 14
MAX_SHOWN_CAPACITY = 5  # a window's capacity as customers see it: enough for "only 2 left"
IDEMPOTENCY_HEADERS = ("Idempotency-Key", "X-Idempotency-Key")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
CHANNELS = ("WeChat Mini Program", "Alipay Mini Program", "H5")
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


# --- input --------------------------------------------------------------------------------------
def invalid(message: str) -> None:
	frappe.throw(message, InvalidInputError, title=_("Invalid input"))


def conflict(message: str) -> None:
	frappe.throw(message, ConflictError)


def parse_items(items) -> list[dict]:
	"""[{service_item, spec, quantity}] with nothing else: prices and names come from the catalogue."""
	if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
		invalid(_("Send between 1 and {0} items.").format(MAX_ITEMS))
	rows = []
	for row in items:
		if not isinstance(row, dict):
			invalid(_("Each item must be an object with service_item, spec and quantity."))
		quantity = row.get("quantity", 1)
		if quantity in (None, ""):
			quantity = 1
		if isinstance(quantity, bool) or not isinstance(quantity, int | float | str):
			invalid(_("Quantity must be a number."))
		try:
			quantity = float(quantity)
		except ValueError:
			invalid(_("Quantity must be a number."))
		if not math.isfinite(quantity) or not 0 < quantity <= MAX_QUANTITY:
			invalid(_("Quantity must be more than 0 and at most {0}.").format(MAX_QUANTITY))
		rows.append(
			{
				"service_item": clean_name(row.get("service_item"), "Service item"),
				"spec": clean_text(row.get("spec"), "Specification", 140),
				"quantity": int(quantity) if quantity.is_integer() else quantity,
			}
		)
	return rows


def parse_datetime(value, label: str) -> datetime:
	if not isinstance(value, str) or not 8 <= len(value.strip()) <= 40:
		invalid(_("{0} must be a date and time like 2026-01-31 14:00:00.").format(label))
	try:
		moment = get_datetime(value.strip())
	except Exception:
		moment = None
	if not isinstance(moment, datetime):
		invalid(_("{0} must be a date and time like 2026-01-31 14:00:00.").format(label))
	if moment.tzinfo:
		moment = moment.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return moment


def parse_date(value, label: str):
	if value in (None, ""):
		return None
	if not isinstance(value, str) or len(value) > 10:
		invalid(_("{0} must be a date like 2026-01-31.").format(label))
	try:
		return datetime.strptime(value, "%Y-%m-%d").date()
	except ValueError:
		invalid(_("{0} must be a date like 2026-01-31.").format(label))


def parse_window(value) -> datetime:
	"""The start of one of the arrival windows we offer, far enough ahead and inside the horizon."""
	if not value:
		invalid(_("Choose an arrival window, or ask for a technician to come now."))
	start = parse_datetime(value, "window_start")
	settings = get_settings()
	if start not in {begin for begin, _end in windows_for_day(start.date(), settings)}:
		frappe.throw(_("{0} is not the start of an arrival window.").format(str(start)), SchedulingError)
	if not bookable_window(start, settings):
		frappe.throw(_("This arrival window can no longer be booked or is too far ahead."), SchedulingError)
	return start


def serviceable(place):
	if not place.service_area:
		frappe.throw(_("This address is outside our service areas."), SchedulingError)
	return place


def request_header(name: str) -> str | None:
	request = getattr(frappe.local, "request", None)
	return request.headers.get(name) if request is not None else None


def idempotency_key_of(value: str | None) -> str:
	for header in IDEMPOTENCY_HEADERS:
		value = value or request_header(header)
	if not value or not isinstance(value, str) or not IDEMPOTENCY_KEY.match(value):
		invalid(_("Send an idempotency_key (8 to 64 letters, digits or _.:-) with every new booking."))
	return value


def request_channel() -> str:
	"""The channel is the client the caller logged in with, never what the request claims."""
	client = token_client()
	return client if client in CHANNELS else "Other" if client else "H5"


# --- output -------------------------------------------------------------------------------------
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


def notify_rescheduled(technician: str, doc, start: str) -> None:
	"""Tell the assigned technician that the customer moved the job."""
	user = frappe.db.get_value("HS Technician", technician, "user")
	if not user:
		return
	lang = lang_of(user)
	body = _("Booking {0} now starts at {1}.", lang=lang).format(doc.name, start)
	notify(user, _("Booking rescheduled", lang=lang), body, booking=doc.name)
