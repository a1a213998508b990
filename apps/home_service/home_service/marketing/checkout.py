"""Coupons and points on an order: the quote's deductions, the booking's reservation, and what
happens to them when the booking is paid or cancelled (registered in hooks.py under
`hs_on_booking_paid` and `hs_on_booking_cancelled`).

Order of deductions: the coupon comes off the quoted total first, then points pay at most
`max_redeem_percent` of what is left. The amount payable never goes below zero.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import frappe
from frappe import _

from home_service.catalog.pricing import Quote, compute_quote
from home_service.marketing import coupons, points
from home_service.marketing.errors import PointsError
from home_service.marketing.locks import lock_customer
from home_service.marketing.settings import get_settings
from home_service.utils.money import ZERO


@dataclass
class Offers:
	total_before: Decimal
	grand_total: Decimal = ZERO
	coupon: str | None = None
	coupon_description: str | None = None
	discount_amount: Decimal = ZERO
	points_used: int = 0
	points_deduction: Decimal = ZERO
	points_balance: int = 0
	max_points: int = 0
	deductions: list[dict] = field(default_factory=list)

	def as_dict(self) -> dict:
		return {
			"total_before_deductions": f"{self.total_before:.2f}",
			"deductions": self.deductions,
			"coupon": self.coupon,
			"discount_amount": f"{self.discount_amount:.2f}",
			"points_used": self.points_used,
			"points_deduction": f"{self.points_deduction:.2f}",
			"points_balance": self.points_balance,
			"max_points": self.max_points,
			"grand_total": f"{self.grand_total:.2f}",
		}


def parse_points(value) -> int:
	if value in (None, ""):
		return 0
	if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
		frappe.throw(_("Points must be a whole number, 0 or more."), PointsError)
	return int(value)


def evaluate(
	customer: str,
	quote: Quote,
	service_area: str | None,
	coupon: str | None = None,
	use_points: int = 0,
	lock: bool = False,
) -> Offers:
	"""What `coupon` and `use_points` take off `quote` for `customer`, or a readable 4xx refusal."""
	use_points = parse_points(use_points)
	offers = Offers(total_before=quote.grand_total)
	if coupon:
		found = coupons.coupon_discount(customer, coupon, quote, service_area)
		offers.coupon, offers.coupon_description = found.coupon, found.description
		offers.discount_amount = found.amount
		offers.deductions.append(
			{"type": "Coupon", "description": found.description, "amount": f"-{found.amount:.2f}"}
		)
	remaining = max(quote.grand_total - offers.discount_amount, ZERO)
	settings = get_settings()
	offers.points_balance = points.balance(customer, lock=lock)
	allowed = points.max_points_for(remaining, settings)
	offers.max_points = min(allowed, offers.points_balance)
	if use_points:
		if use_points > offers.points_balance:
			frappe.throw(
				_("You have {0} points, fewer than the {1} you asked to use.").format(
					offers.points_balance, use_points
				),
				PointsError,
			)
		if use_points > allowed:
			frappe.throw(
				_("At most {0} points can be used on this order.").format(offers.max_points), PointsError
			)
		offers.points_used = use_points
		offers.points_deduction = min(points.points_value(use_points, settings), remaining)
		offers.deductions.append(
			{
				"type": "Points",
				"description": _("{0} points").format(use_points),
				"amount": f"-{offers.points_deduction:.2f}",
			}
		)
	offers.grand_total = max(remaining - offers.points_deduction, ZERO)
	return offers


def reserve(doc, coupon: str | None, use_points) -> Offers | None:
	"""Before a new booking `doc` is inserted: check the coupon and points on its price, lock the
	coupon and set the booking's deduction fields. The caller inserts the booking and then calls
	`attach`, all in one transaction (a refusal raises before anything is written)."""
	use_points = parse_points(use_points)
	if not coupon and not use_points:
		return None
	lock_customer(doc.customer)
	place = frappe.db.get_value(
		"HS Customer Address", doc.address, ["service_area", "latitude", "longitude"], as_dict=True
	)
	place = place or frappe._dict()
	quote = compute_quote(
		[{"service_item": i.service_item, "spec": i.spec, "quantity": i.quantity} for i in doc.items],
		doc.window_start,
		service_area=place.service_area,
		latitude=place.latitude,
		longitude=place.longitude,
	)
	offers = evaluate(doc.customer, quote, place.service_area, coupon, use_points, lock=True)
	if offers.coupon:
		coupons.lock_coupon(offers.coupon, doc.customer, offers.discount_amount)
	doc.coupon_code = offers.coupon
	doc.discount_amount = offers.discount_amount
	doc.points_used = offers.points_used
	doc.points_deduction = offers.points_deduction
	return offers


def attach(doc, offers: Offers | None) -> None:
	"""After the booking is inserted: the locked coupon and the redeemed points point at it."""
	if not offers:
		return
	if offers.coupon:
		coupons.attach_coupon(offers.coupon, doc.name)
	if offers.points_used:
		points.redeem_for_booking(doc.customer, offers.points_used, doc.name)


# --- booking hooks ----------------------------------------------------------------------------
def before_booking_insert(doc, request) -> None:
	"""hs_before_booking_insert: price the coupon and points the request spends into the booking and
	lock them (a refusal raises before anything is written); what was reserved waits in `request`."""
	request.offers = reserve(doc, request.get("coupon"), request.get("points"))


def after_booking_insert(doc, request) -> None:
	"""hs_after_booking_insert: the reserved coupon and points point at the booking just inserted."""
	attach(doc, request.get("offers"))


def on_booking_paid(doc) -> None:
	"""hs_on_booking_paid: the locked coupon is used and the payment earns points (both once)."""
	lock_customer(doc.customer)
	coupons.consume_coupon(doc)
	points.earn_for_payment(doc)


def on_booking_cancelled(doc, fee=None) -> None:
	"""hs_on_booking_cancelled: a booking cancelled before it was paid gives back its coupon and points."""
	if doc.payment_status != "Unpaid":
		return
	lock_customer(doc.customer)
	coupons.return_coupon(doc)
	points.return_for_booking(doc)
