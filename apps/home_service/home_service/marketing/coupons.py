"""Coupons: issuing from a template (claim, bulk, events), what a coupon takes off an order, and its
life with a booking.

	Available --booking created--> Locked --booking paid--> Used
	Locked --unpaid booking cancelled--> Available (Expired when its validity ended meanwhile)
	Available --validity ended (daily job)--> Expired

Counters and status changes are single conditional UPDATEs whose WHERE clause is the rule (quota not
reached, coupon still Available, still locked by this booking); the row count says who won. A
customer's issuing runs under their HS Customer row lock, and `issue_key` is unique per coupon.
"""

from dataclasses import dataclass
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import add_days, get_datetime, now_datetime

from home_service.catalog.pricing import Quote, category_within
from home_service.marketing.errors import CouponError, CouponUnavailableError
from home_service.marketing.locks import affected_rows, lock_customer
from home_service.utils.money import ZERO, money, percent_of

TEMPLATE, COUPON = "HS Coupon Template", "HS Customer Coupon"
STATUSES = ("Available", "Locked", "Used", "Expired")
MAX_BULK = 1000


@dataclass
class CouponDiscount:
	coupon: str
	description: str
	amount: Decimal


# --- issuing ----------------------------------------------------------------------------------
def issue_coupon(
	template: str, customer: str, source: str = "Issued", event: str | None = None, _recount: bool = False
) -> str:
	"""Give `customer` one coupon of `template`; return the HS Customer Coupon name.

	`event` names a one-off occasion (e.g. "registration"): issuing again for the same occasion
	returns the coupon already given. Refused (409) when the template is off or over, the customer
	already holds `per_customer_limit` of it, or the quota is used up.
	"""
	lock_customer(customer)
	tpl = frappe.get_doc(TEMPLATE, template)
	# a plain read (no gap locks to deadlock on between customers); the unique issue_key
	# "<template>:<customer>:<n>" with n <= per_customer_limit is what guarantees the limit. The
	# recount after a collision is a locking read: it sees what a claim we waited for committed.
	issued = frappe.db.sql(
		"select issue_key from `tabHS Customer Coupon` where customer = %s and template = %s"
		+ (" for update" if _recount else ""),
		(customer, template),
		pluck=True,
	)
	key = f"{template}:{customer}:{event}" if event else None
	if key and key in issued:
		return frappe.db.get_value(COUPON, {"issue_key": key})
	now = now_datetime()
	if not tpl.enabled:
		frappe.throw(_("This coupon is no longer offered."), CouponUnavailableError)
	if tpl.validity_type == "Fixed Dates" and tpl.valid_to and get_datetime(tpl.valid_to) <= now:
		frappe.throw(_("This coupon offer has ended."), CouponUnavailableError)
	if tpl.new_customer_only and has_paid_booking(customer):
		frappe.throw(_("This coupon is only for new customers."), CouponError)
	if len(issued) >= max(int(tpl.per_customer_limit or 1), 1):
		frappe.throw(
			_("You already have this coupon ({0} per customer).").format(tpl.per_customer_limit or 1),
			CouponUnavailableError,
		)
	frappe.db.savepoint("hs_issue_coupon_row")
	frappe.db.sql(
		"""update `tabHS Coupon Template` set issued = issued + 1
		where name = %s and enabled = 1 and (quota = 0 or issued < quota)""",
		template,
	)
	if affected_rows() != 1:
		frappe.throw(_("All of these coupons have been given out."), CouponUnavailableError)
	valid_from, valid_to = validity_of(tpl, now)
	doc = frappe.get_doc(
		{
			"doctype": COUPON,
			"customer": customer,
			"template": template,
			"status": "Available",
			"source": source,
			"issued_on": now,
			"valid_from": valid_from,
			"valid_to": valid_to,
			"issue_key": key or f"{template}:{customer}:{len(issued) + 1}",
		}
	)
	doc.flags.hs_issuing = True
	try:
		return doc.insert(ignore_permissions=True).name
	except frappe.UniqueValidationError:
		# the same customer claimed at the same moment and committed while we waited for their lock:
		# our snapshot missed that coupon; count again as committed (they may still be under the limit)
		frappe.db.rollback(save_point="hs_issue_coupon_row")
		if key:
			return frappe.db.get_value(COUPON, {"issue_key": key}, for_update=True)
		if not _recount:
			return issue_coupon(template, customer, source, event, _recount=True)
		frappe.throw(
			_("You already have this coupon ({0} per customer).").format(tpl.per_customer_limit or 1),
			CouponUnavailableError,
		)


def claim_coupon(template: str, customer: str) -> str:
	"""A customer takes a coupon offered to everyone (templates marked claimable)."""
	tpl = frappe.db.get_value(TEMPLATE, template, ["claimable", "enabled"], as_dict=True)
	if not tpl or not tpl.claimable:
		frappe.throw(_("{0} not found.").format(_("Coupon")), frappe.DoesNotExistError)
	return issue_coupon(template, customer, source="Claimed")


def issue_bulk(template: str, customers: list[str]) -> dict:
	"""Staff issue one coupon to each customer; a refusal for one customer does not stop the others."""
	customers = list(dict.fromkeys(c.strip() for c in customers if c and c.strip()))
	if not customers:
		frappe.throw(_("Choose at least one customer."), CouponError)
	if len(customers) > MAX_BULK:
		frappe.throw(_("Issue to at most {0} customers at a time.").format(MAX_BULK), CouponError)
	issued, skipped = [], []
	for customer in customers:
		frappe.db.savepoint("hs_issue_coupon")
		try:
			issued.append({"customer": customer, "coupon": issue_coupon(template, customer)})
		except (frappe.ValidationError, frappe.DoesNotExistError) as e:
			frappe.db.rollback(save_point="hs_issue_coupon")
			frappe.clear_messages()
			skipped.append({"customer": customer, "reason": str(e)})
	return {"issued": issued, "skipped": skipped}


def issue_for_event(customer: str, occasion: str, event: str) -> list[str]:
	"""Every enabled template set to issue on `occasion`; one that is sold out is skipped."""
	given = []
	for template in frappe.get_all(TEMPLATE, filters={"enabled": 1, "issue_on": occasion}, pluck="name"):
		frappe.db.savepoint("hs_event_coupon")
		try:
			given.append(issue_coupon(template, customer, source="Event", event=event))
		except (CouponError, CouponUnavailableError):
			frappe.db.rollback(save_point="hs_event_coupon")
			frappe.clear_messages()
	return given


def on_customer_insert(doc, method=None) -> None:
	"""doc_event HS Customer after_insert: coupons for registering."""
	issue_for_event(doc.name, "Registration", "registration")


def on_booking_update(doc, method=None) -> None:
	"""doc_event HS Booking on_update: coupons for the customer's first completed booking."""
	if doc.status != "Completed" or not doc.has_value_changed("status"):
		return
	if frappe.db.count("HS Booking", {"customer": doc.customer, "status": "Completed"}) == 1:
		issue_for_event(doc.customer, "First Completed Booking", "first-completion")


def validity_of(tpl, now) -> tuple:
	if tpl.validity_type == "Days After Claim":
		return now, add_days(now, int(tpl.valid_days or 0))
	return tpl.valid_from or now, tpl.valid_to


def has_paid_booking(customer: str, excluding: str | None = None) -> bool:
	filters = {"customer": customer, "payment_status": ("!=", "Unpaid")}
	if excluding:
		filters["name"] = ("!=", excluding)
	return bool(frappe.db.exists("HS Booking", filters))


# --- what a coupon takes off ----------------------------------------------------------------
def coupon_discount(customer: str, coupon: str, quote: Quote, service_area: str | None) -> CouponDiscount:
	"""The discount `coupon` gives on `quote`, or a readable refusal. Never more than the order."""
	row = frappe.db.get_value(
		COUPON, coupon, ["name", "customer", "template", "status", "valid_from", "valid_to"], as_dict=True
	)
	if not row or row.customer != customer:
		frappe.throw(_("{0} not found.").format(_("Coupon")), frappe.DoesNotExistError)
	now = now_datetime()
	if row.status == "Expired" or (row.valid_to and get_datetime(row.valid_to) < now):
		frappe.throw(_("This coupon has expired."), CouponUnavailableError)
	if row.status != "Available":
		frappe.throw(
			_("This coupon is already used on another booking.")
			if row.status == "Locked"
			else _("This coupon has already been used."),
			CouponUnavailableError,
		)
	if row.valid_from and get_datetime(row.valid_from) > now:
		frappe.throw(_("This coupon can be used from {0}.").format(str(row.valid_from)), CouponError)
	tpl = frappe.get_doc(TEMPLATE, row.template)
	if not tpl.enabled:
		frappe.throw(_("This coupon has been withdrawn."), CouponUnavailableError)
	if tpl.service_area and tpl.service_area != service_area:
		area = frappe.db.get_value("HS Service Area", tpl.service_area, "area_name") or tpl.service_area
		frappe.throw(_("This coupon can only be used in {0}.").format(area), CouponError)
	base = quote.grand_total
	if tpl.service_category:
		category = (
			frappe.db.get_value("HS Service Category", tpl.service_category, "category_name")
			or tpl.service_category
		)
		base = sum(
			(line.amount for line in quote.lines if category_within(line.category, tpl.service_category)),
			ZERO,
		)
		if base <= ZERO:
			frappe.throw(_("This coupon is only for {0} services.").format(category), CouponError)
	if base < money(tpl.min_spend):
		frappe.throw(
			_("This coupon needs an order of at least ¥{0}.").format(money(tpl.min_spend)), CouponError
		)
	if tpl.new_customer_only and has_paid_booking(customer):
		frappe.throw(_("This coupon is only for your first order."), CouponError)
	if tpl.discount_type == "Percent":
		amount = percent_of(base, tpl.discount_percent)
		if money(tpl.max_discount) > ZERO:
			amount = min(amount, money(tpl.max_discount))
	else:
		amount = money(tpl.discount_value)
	amount = max(min(amount, base, quote.grand_total), ZERO)
	return CouponDiscount(row.name, _("Coupon: {0}").format(tpl.template_name), amount)


# --- life with a booking ----------------------------------------------------------------------
def lock_coupon(coupon: str, customer: str, amount: Decimal) -> None:
	"""Available → Locked for a booking being created (the caller holds the customer lock)."""
	now = now_datetime()
	frappe.db.sql(
		"""update `tabHS Customer Coupon` set status = 'Locked', locked_on = %(now)s, discount_amount = %(amount)s,
			booking = null, returned_on = null, modified = %(now)s
		where name = %(coupon)s and customer = %(customer)s and status = 'Available'
			and (valid_to is null or valid_to >= %(now)s)""",
		{"now": now, "amount": amount, "coupon": coupon, "customer": customer},
	)
	if affected_rows() != 1:
		frappe.throw(_("This coupon is already used on another booking."), CouponUnavailableError)


def attach_coupon(coupon: str, booking: str) -> None:
	frappe.db.sql(
		"update `tabHS Customer Coupon` set booking = %s where name = %s and status = 'Locked' and booking is null",
		(booking, coupon),
	)


def consume_coupon(booking) -> bool:
	"""Locked → Used when `booking` is paid. Idempotent."""
	if not booking.coupon_code:
		return False
	now = now_datetime()
	frappe.db.sql(
		"""update `tabHS Customer Coupon` set status = 'Used', used_on = %(now)s, modified = %(now)s
		where name = %(coupon)s and booking = %(booking)s and status = 'Locked'""",
		{"now": now, "coupon": booking.coupon_code, "booking": booking.name},
	)
	return affected_rows() == 1


def return_coupon(booking) -> bool:
	"""Locked → Available (or Expired past its validity) when the unpaid `booking` is cancelled."""
	if not booking.coupon_code:
		return False
	now = now_datetime()
	frappe.db.sql(
		"""update `tabHS Customer Coupon` set
			status = if(valid_to is not null and valid_to < %(now)s, 'Expired', 'Available'),
			expired_on = if(valid_to is not null and valid_to < %(now)s, %(now)s, null),
			booking = null, locked_on = null, discount_amount = 0, returned_on = %(now)s,
			modified = %(now)s
		where name = %(coupon)s and booking = %(booking)s and status = 'Locked'""",
		{"now": now, "coupon": booking.coupon_code, "booking": booking.name},
	)
	return affected_rows() == 1


def expire_coupons() -> int:
	"""Daily: Available coupons past their validity become Expired."""
	now = now_datetime()
	frappe.db.sql(
		"""update `tabHS Customer Coupon` set status = 'Expired', expired_on = %(now)s, modified = %(now)s
		where status = 'Available' and valid_to is not null and valid_to < %(now)s""",
		{"now": now},
	)
	return affected_rows()
