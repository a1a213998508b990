"""Coupons and points in the customer mini-program: coupons on offer, claiming, my coupons, my
points balance and history. The rules live in home_service.marketing; these functions only scope
to the caller, validate and shape."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime, nowdate

from home_service.api.customer.scope import ROLE, current_customer
from home_service.api.registry import endpoint, page_args, paged
from home_service.marketing import coupons, points
from home_service.marketing.settings import get_settings
from home_service.utils.money import money
from home_service.utils.text import InvalidInputError, clean_name

TAG = "customer/marketing"
TEMPLATE_FIELDS = (
	"name",
	"template_name",
	"description",
	"discount_type",
	"discount_value",
	"discount_percent",
	"max_discount",
	"min_spend",
	"new_customer_only",
	"service_category",
	"service_area",
	"validity_type",
	"valid_from",
	"valid_to",
	"valid_days",
	"quota",
	"issued",
	"per_customer_limit",
)
EXPIRY_NOTICE_DAYS = 30


@endpoint(roles=ROLE, tag=TAG)
def list_claimable_coupons(page: int = 1, page_size: int = 20) -> dict:
	"""Coupons on offer that I can claim now, with how many I already hold of each."""
	customer = current_customer()
	start, length = page_args(page, page_size)
	table = frappe.qb.DocType(coupons.TEMPLATE)
	now = now_datetime()
	condition = (
		(table.enabled == 1)
		& (table.claimable == 1)
		& ((table.quota == 0) | (table.issued < table.quota))
		& ((table.validity_type != "Fixed Dates") | table.valid_to.isnull() | (table.valid_to > now))
	)
	query = frappe.qb.from_(table).where(condition)
	total = query.select(frappe.query_builder.functions.Count("*")).run()[0][0]
	rows = (
		query.select(*[table[f] for f in TEMPLATE_FIELDS])
		.orderby(table.creation, order=frappe.qb.desc)
		.limit(length)
		.offset(start)
		.run(as_dict=True)
	)
	held = held_counts(customer, [row.name for row in rows])
	return paged([template_out(row, held.get(row.name, 0)) for row in rows], total, start, length)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def claim_coupon(template: str) -> dict:
	"""Claim one coupon on offer. 409 when I already hold as many as one customer may, or none are left."""
	customer = current_customer()
	name = coupons.claim_coupon(clean_name(template, "Coupon"), customer)
	return coupon_out(frappe.get_doc(coupons.COUPON, name))


@endpoint(roles=ROLE, tag=TAG)
def list_my_coupons(status: str | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""My coupons, newest first; `status`: Available, Locked, Used or Expired."""
	filters: dict = {"customer": current_customer()}
	if status:
		if status not in coupons.STATUSES:
			frappe.throw(
				_("status must be one of: {0}.").format(", ".join(coupons.STATUSES)), InvalidInputError
			)
		filters["status"] = status
	start, length = page_args(page, page_size)
	rows = frappe.get_all(
		coupons.COUPON,
		filters=filters,
		fields=[
			"name",
			"template",
			"template_name",
			"status",
			"issued_on",
			"valid_from",
			"valid_to",
			"booking",
			"discount_amount",
			"used_on",
		],
		order_by="issued_on desc, name desc",
		limit_start=start,
		limit_page_length=length,
	)
	return paged([coupon_out(row) for row in rows], frappe.db.count(coupons.COUPON, filters), start, length)


@endpoint(roles=ROLE, tag=TAG)
def points_balance() -> dict:
	"""My points: balance, what they are worth, and how many expire within 30 days."""
	customer = current_customer()
	settings = get_settings()
	have = points.balance(customer)
	soon = getdate(add_days(nowdate(), EXPIRY_NOTICE_DAYS + 1))
	return {
		"balance": have,
		"value": f"{points.points_value(have, settings):.2f}",
		"currency": "CNY",
		"expiring_within_30_days": min(points.expiring(customer, soon), have),
		"yuan_per_100_points": f"{money(settings.yuan_per_100_points):.2f}",
		"max_redeem_percent": float(settings.max_redeem_percent),
	}


@endpoint(roles=ROLE, tag=TAG)
def points_history(page: int = 1, page_size: int = 20) -> dict:
	"""My points entries, newest first (earned positive, used and expired negative)."""
	filters = {"customer": current_customer()}
	start, length = page_args(page, page_size)
	rows = frappe.get_all(
		points.ENTRY,
		filters=filters,
		fields=["name", "entry_type", "points", "posting_datetime", "expires_on", "booking", "remarks"],
		order_by="posting_datetime desc, name desc",
		limit_start=start,
		limit_page_length=length,
	)
	items = [
		{
			"entry": row.name,
			"type": row.entry_type,
			"points": row.points,
			"at": str(row.posting_datetime),
			"expires_on": str(row.expires_on) if row.expires_on else None,
			"booking": row.booking or None,
			"note": row.remarks or None,
		}
		for row in rows
	]
	return paged(items, frappe.db.count(points.ENTRY, filters), start, length)


# --- output -------------------------------------------------------------------------------------
def held_counts(customer: str, templates: list[str]) -> dict[str, int]:
	if not templates:
		return {}
	rows = frappe.get_all(
		coupons.COUPON,
		filters={"customer": customer, "template": ("in", templates)},
		fields=["template", "count(name) as n"],
		group_by="template",
	)
	return {row.template: row.n for row in rows}


def template_out(row, held: int) -> dict:
	limit = row.per_customer_limit or 1
	return {
		"template": row.name,
		"name": row.template_name,
		"description": row.description or None,
		"discount_type": row.discount_type,
		"amount_off": f"{money(row.discount_value):.2f}" if row.discount_type == "Fixed Amount" else None,
		"percent_off": float(row.discount_percent or 0) if row.discount_type == "Percent" else None,
		"max_discount": f"{money(row.max_discount):.2f}" if money(row.max_discount) > 0 else None,
		"min_spend": f"{money(row.min_spend):.2f}",
		"new_customer_only": bool(row.new_customer_only),
		"service_category": row.service_category or None,
		"service_area": row.service_area or None,
		"valid_from": str(row.valid_from) if row.validity_type == "Fixed Dates" and row.valid_from else None,
		"valid_to": str(row.valid_to) if row.validity_type == "Fixed Dates" and row.valid_to else None,
		"valid_days_after_claim": row.valid_days if row.validity_type == "Days After Claim" else None,
		"remaining": max(row.quota - row.issued, 0) if row.quota else None,
		"held": held,
		"can_claim": held < limit,
	}


def coupon_out(row) -> dict:
	return {
		"coupon": row.name,
		"template": row.template,
		"name": row.template_name,
		"status": row.status,
		"issued_on": str(row.issued_on) if row.issued_on else None,
		"valid_from": str(row.valid_from) if row.valid_from else None,
		"valid_to": str(row.valid_to) if row.valid_to else None,
		"booking": row.booking or None,
		"discount_amount": f"{money(row.discount_amount):.2f}" if row.booking else None,
		"used_on": str(row.used_on) if row.used_on else None,
	}
