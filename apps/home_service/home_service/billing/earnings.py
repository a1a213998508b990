"""Technician earnings: the split at completion, the settlement delay, clawbacks after refunds.

Completion (status changes to Completed) posts once, under the key `<booking>:earning`:

    Dr Customer Prepaid   paid − refunded          (party: the booking)
    Dr Coupon Subsidy     discount + points         (the platform pays for coupons and points)
    Cr Technician Pending share% × gross, half-up  (party: the technician)
    Cr Platform Revenue   gross − technician part

gross = paid − refunded + subsidies; the share comes from the best matching HS Commission Rule (or
the default in HS Earnings Settings), all in integer fen so the parts always sum exactly.

After `settlement_delay_days` the hourly job moves the booking's part from Technician Pending to
Technician Available (`<booking>:settle`, once).

A refund after completion reverses the completion posting in proportion to the refunded share of
what the customer paid (cumulative, so several partial refunds never drift by a fen): Customer
Prepaid is credited back by the refund, the coupon subsidy by its share, and the technician's part is
taken first from the booking's still-pending earnings, then from Technician Available (never below
zero); whatever is left stays as a debit on Technician Pending — a debt the next settlement nets
before anything becomes withdrawable. The platform carries the rest.

Lock order: the booking (held by the caller that saves it), then the technician row, then the
earning row. Withdrawals lock the technician row too, so a clawback and a withdrawal never both
spend the same available balance.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import frappe
from frappe.utils import add_days, get_datetime, now_datetime

from home_service.billing.accounts import Account
from home_service.billing.ledger import ENTRY, credit, debit, owed_fen, post
from home_service.billing.settings import earnings_settings
from home_service.booking.lifecycle import Status
from home_service.utils.batch import each_isolated
from home_service.utils.money import to_fen

EARNING = "HS Technician Earning"
RULE = "HS Commission Rule"
BOOKING = "HS Booking"
TECHNICIAN = "HS Technician"


# --- the split ------------------------------------------------------------------------------------
def share_of(gross_fen: int, percent) -> int:
	"""`percent` of `gross_fen`, rounded half-up to the fen."""
	value = Decimal(int(gross_fen)) * Decimal(str(percent or 0)) / Decimal(100)
	return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _round(value: Fraction) -> int:
	"""Half-up rounding of a non-negative exact fraction."""
	return int((value * 2 + 1) // 2)


def matching_rule(level: str | None, category: str | None) -> frappe._dict | None:
	"""The enabled rule for a technician level and service category: highest priority first, then the
	more specific (level and category set, then the deeper category), then the oldest."""
	rules = frappe.get_all(
		RULE,
		filters={"enabled": 1},
		fields=["name", "technician_level", "service_category", "technician_share", "priority", "creation"],
	)
	span = frappe.db.get_value("HS Service Category", category, ["lft", "rgt"]) if category else None
	spans = {}
	candidates = []
	for rule in rules:
		if rule.technician_level and rule.technician_level != level:
			continue
		depth = 0
		if rule.service_category:
			if not span:
				continue
			if rule.service_category not in spans:
				spans[rule.service_category] = frappe.db.get_value(
					"HS Service Category", rule.service_category, ["lft", "rgt"]
				)
			covers = spans[rule.service_category]
			if not covers or not (covers[0] <= span[0] and covers[1] >= span[1]):
				continue
			depth = covers[0]
		specificity = bool(rule.technician_level) + bool(rule.service_category)
		candidates.append(((-(rule.priority or 0), -specificity, -depth, rule.creation), rule))
	return min(candidates, key=lambda c: c[0])[1] if candidates else None


def on_booking_update(doc, method=None) -> None:
	"""`doc_events` hook on HS Booking: the split at completion, the clawback after a refund."""
	if doc.has_value_changed("status") and doc.status == Status.COMPLETED and doc.technician:
		record_completion(doc)
	elif (
		doc.get_doc_before_save()  # a booking being inserted has no refund and no earning
		and doc.has_value_changed("refunded_amount")
		and frappe.db.exists(EARNING, {"booking": doc.name})
	):
		claw_back(doc)


def record_completion(booking) -> str | None:
	"""Split a completed booking once: the earning row and the `<booking>:earning` posting."""
	if frappe.db.exists(EARNING, {"booking": booking.name}):
		return None
	level = frappe.db.get_value(TECHNICIAN, booking.technician, "level")
	rule = matching_rule(level, booking.service_category)
	settings = earnings_settings()
	share = rule.technician_share if rule else settings.default_technician_share
	refunded = to_fen(booking.refunded_amount)
	paid = max(to_fen(booking.paid_amount) - refunded, 0)
	subsidy = to_fen(booking.discount_amount) + to_fen(booking.points_deduction)
	gross = paid + subsidy
	technician_fen = share_of(gross, share)
	completed_on = get_datetime(booking.completed_on or now_datetime())
	earning = frappe.get_doc(
		{
			"doctype": EARNING,
			"booking": booking.name,
			"technician": booking.technician,
			"status": "Pending",
			"commission_rule": rule.name if rule else None,
			"technician_share": share,
			"completed_on": completed_on,
			"settle_after": add_days(completed_on, int(settings.settlement_delay_days or 0)),
			"customer_paid_fen": paid,
			"subsidy_fen": subsidy,
			"gross_fen": gross,
			"technician_fen": technician_fen,
			"platform_fen": gross - technician_fen,
			"refunded_before_fen": refunded,
		}
	).insert(ignore_permissions=True)
	post(
		f"{booking.name}:earning",
		[
			debit(Account.CUSTOMER_PREPAID, paid, BOOKING, booking.name),
			debit(Account.COUPON_SUBSIDY, subsidy, BOOKING, booking.name),
			credit(Account.TECHNICIAN_PENDING, technician_fen, TECHNICIAN, booking.technician),
			credit(Account.PLATFORM_REVENUE, gross - technician_fen),
		],
		EARNING,
		earning.name,
		booking=booking.name,
		remarks=f"{share}%",
	)
	return earning.name


# --- settlement -----------------------------------------------------------------------------------
def locked_owed_fen(account: str, technician: str, booking: str | None = None) -> int:
	"""What `account` owes `technician` (optionally for one booking), read with a locking read.

	Under REPEATABLE READ a plain SELECT sees the snapshot taken at the transaction's first read,
	which may predate the technician lock this caller waited for; a locking read sees what the
	transactions that held the lock before committed. Callers hold the technician row lock.
	"""
	entry = frappe.qb.DocType(ENTRY)
	query = (
		frappe.qb.from_(entry)
		.select(entry.amount_fen)
		.where(entry.account == account)
		.where(entry.party == technician)
		.where(entry.party_type == TECHNICIAN)
	)
	if booking:
		query = query.where(entry.booking == booking)
	rows = query.for_update().run()
	return -sum(int(row[0]) for row in rows)


def booking_pending_fen(technician: str, booking: str) -> int:
	"""What Technician Pending still owes `technician` for one booking."""
	return locked_owed_fen(Account.TECHNICIAN_PENDING, technician, booking)


def lock_technician(technician: str) -> None:
	frappe.db.get_value(TECHNICIAN, technician, "name", for_update=True)


def settle(earning_name: str) -> int:
	"""Move one booking's pending earnings to Technician Available (once); the fen moved."""
	technician = frappe.db.get_value(EARNING, earning_name, "technician")
	lock_technician(technician)
	earning = frappe.get_doc(EARNING, earning_name, for_update=True)
	if earning.status != "Pending":
		return 0
	# a debt from an earlier clawback is netted first: never more than the technician's total pending
	amount = max(
		0,
		min(
			booking_pending_fen(technician, earning.booking),
			locked_owed_fen(Account.TECHNICIAN_PENDING, technician),
		),
	)
	post(
		f"{earning.booking}:settle",
		[
			debit(Account.TECHNICIAN_PENDING, amount, TECHNICIAN, technician),
			credit(Account.TECHNICIAN_AVAILABLE, amount, TECHNICIAN, technician),
		],
		EARNING,
		earning.name,
		booking=earning.booking,
		remarks="settlement",
	)
	earning.db_set({"status": "Settled", "settled_on": now_datetime(), "settled_fen": amount})
	return amount


def settle_due(limit: int = 500) -> int:
	"""Scheduled (hourly): settle every earning whose delay has passed."""
	names = frappe.get_all(
		EARNING,
		filters={"status": "Pending", "settle_after": ("<=", now_datetime())},
		pluck="name",
		order_by="settle_after asc",
		limit=limit,
	)
	for name in names:
		each_isolated(settle, name)
	return len(names)


# --- refunds after completion ---------------------------------------------------------------------
def claw_back(booking) -> bool:
	"""Reverse the completion posting in proportion to what was refunded since completion."""
	name = frappe.db.get_value(EARNING, {"booking": booking.name}, "name")
	technician = frappe.db.get_value(EARNING, name, "technician")
	lock_technician(technician)
	earning = frappe.get_doc(EARNING, name, for_update=True)
	paid = earning.customer_paid_fen or 0
	refunded = min(max(to_fen(booking.refunded_amount) - (earning.refunded_before_fen or 0), 0), paid)
	before = earning.refunded_after_fen or 0
	if not paid or refunded <= before:
		return False
	new, old = Fraction(refunded, paid), Fraction(before, paid)
	refund_delta = refunded - before
	subsidy_delta = _round(earning.subsidy_fen * new) - _round(earning.subsidy_fen * old)
	technician_delta = _round(earning.technician_fen * new) - _round(earning.technician_fen * old)
	from_pending = 0
	if earning.status == "Pending":
		from_pending = min(technician_delta, max(booking_pending_fen(technician, booking.name), 0))
	available = max(locked_owed_fen(Account.TECHNICIAN_AVAILABLE, technician), 0)
	from_available = min(technician_delta - from_pending, available)
	debt = technician_delta - from_pending - from_available
	post(
		f"{booking.name}:clawback:{refunded}",
		[
			credit(Account.CUSTOMER_PREPAID, refund_delta, BOOKING, booking.name),
			credit(Account.COUPON_SUBSIDY, subsidy_delta, BOOKING, booking.name),
			debit(Account.TECHNICIAN_PENDING, from_pending + debt, TECHNICIAN, technician),
			debit(Account.TECHNICIAN_AVAILABLE, from_available, TECHNICIAN, technician),
			debit(Account.PLATFORM_REVENUE, refund_delta + subsidy_delta - technician_delta),
		],
		EARNING,
		earning.name,
		booking=booking.name,
		remarks=f"refund after completion: {refund_delta} fen",
	)
	earning.db_set(
		{
			"refunded_after_fen": refunded,
			"clawed_back_fen": (earning.clawed_back_fen or 0) + technician_delta,
		}
	)
	return True


# --- balances -------------------------------------------------------------------------------------
def balances(technician: str) -> dict:
	"""The technician's ledger balances in fen."""
	pending = owed_fen(Account.TECHNICIAN_PENDING, TECHNICIAN, technician)
	available = owed_fen(Account.TECHNICIAN_AVAILABLE, TECHNICIAN, technician)
	in_payout = owed_fen(Account.TECHNICIAN_PAYOUT, TECHNICIAN, technician)
	withdrawn = int(
		frappe.db.get_value("HS Withdrawal", {"technician": technician, "status": "Paid"}, "sum(amount_fen)")
		or 0
	)
	return {
		"pending": pending,
		"available": available,
		"in_payout": in_payout,
		"withdrawn": withdrawn,
		"total_earned": pending + available + in_payout + withdrawn,
	}
