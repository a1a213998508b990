"""Row-level security for customers and technicians.

For each DocType one criterion (built with frappe.qb) decides which rows a user may see.
`*_query` renders it as the SQL Frappe adds to list queries; `has_row_permission` evaluates the same
criterion for one document, so list views, forms, reports and `/api/resource` can never disagree.
Staff roles see every row their DocPermissions allow; a criterion of None means "no restriction".
"""

from functools import reduce
from operator import or_

import frappe
from frappe.query_builder import Criterion
from frappe.query_builder.terms import ValueWrapper

CUSTOMER, TECHNICIAN = "HS Customer", "HS Technician"
UNRESTRICTED_ROLES = frozenset(
	{
		"Administrator",
		"System Manager",
		"HS Operations Manager",
		"HS Dispatcher",
		"HS Customer Service",
		"HS Finance",
	}
)


def _owned(owner_doctype: str, user: str):
	"""Subquery: names of the HS Customer / HS Technician records linked to `user`."""
	owner = frappe.qb.DocType(owner_doctype)
	return frappe.qb.from_(owner).select(owner.name).where(owner.user == user)


def _booking_rows(user: str, roles: set[str]) -> list[Criterion]:
	booking = frappe.qb.DocType("HS Booking")
	rows = []
	if CUSTOMER in roles:
		rows.append(booking.customer.isin(_owned(CUSTOMER, user)))
	if TECHNICIAN in roles:
		rows.append(booking.technician.isin(_owned(TECHNICIAN, user)))
	return rows


def _rules(doctype: str, user: str, roles: set[str]) -> list[Criterion]:
	table = frappe.qb.DocType(doctype)
	if doctype == "HS Booking":
		return _booking_rows(user, roles)
	if doctype == "HS Booking Event":
		booking = frappe.qb.DocType("HS Booking")
		visible = _booking_rows(user, roles)
		if not visible:
			return []
		return [table.booking.isin(frappe.qb.from_(booking).select(booking.name).where(_any(visible)))]
	if doctype == "HS Customer":
		return [table.user == user] if CUSTOMER in roles else []
	if doctype == "HS Customer Address":
		return [table.customer.isin(_owned(CUSTOMER, user))] if CUSTOMER in roles else []
	if doctype == "HS Technician":
		return [table.user == user] if TECHNICIAN in roles else []
	if doctype in ("HS Qualification", "HS Technician Leave", "HS Dispatch Offer", "HS Appeal"):
		return [table.technician.isin(_owned(TECHNICIAN, user))] if TECHNICIAN in roles else []
	if doctype == "HS Technician Penalty":
		# a draft is the staff's work in progress, not yet a decision about the technician
		own = table.technician.isin(_owned(TECHNICIAN, user)) & (table.status != "Draft")
		return [own] if TECHNICIAN in roles else []
	if doctype == "HS Review":
		rows = [table.customer.isin(_owned(CUSTOMER, user))] if CUSTOMER in roles else []
		if TECHNICIAN in roles:
			rows.append(table.technician.isin(_owned(TECHNICIAN, user)))
		return rows
	if doctype == "HS Complaint":
		# complaints are handled by staff; the technician concerned does not read them
		return [table.customer.isin(_owned(CUSTOMER, user))] if CUSTOMER in roles else []
	if doctype == "HS Message":
		return [table.recipient == user] if roles & {CUSTOMER, TECHNICIAN} else []
	if doctype in ("HS Customer Coupon", "HS Points Entry"):
		return [table.customer.isin(_owned(CUSTOMER, user))] if CUSTOMER in roles else []
	if doctype == "HS Coupon Template":
		# the coupons on offer; an issue-only template is seen through the customer's own coupons
		return [(table.enabled == 1) & (table.claimable == 1)] if CUSTOMER in roles else []
	raise KeyError(doctype)


def _any(criteria: list[Criterion]) -> Criterion:
	return reduce(or_, criteria)


def criterion(doctype: str, user: str | None = None) -> Criterion | None:
	"""None: no row restriction. Otherwise the rows `user` may see."""
	user = user or frappe.session.user
	roles = set(frappe.get_roles(user))
	if user == "Administrator" or roles & UNRESTRICTED_ROLES:
		return None
	rules = _rules(doctype, user, roles)
	if not rules:
		# neither customer nor technician: DocPermissions decide; deny rows to be safe
		return ValueWrapper(1) == 0
	return _any(rules)


def _query(doctype: str, user: str | None) -> str:
	condition = criterion(doctype, user)
	if condition is None:
		return ""
	return condition.get_sql(with_namespace=True, quote_char="`")


def has_row_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	condition = criterion(doc.doctype, user)
	if condition is None:
		return None  # no opinion: DocPermissions decide
	if doc.is_new():
		return False  # customers and technicians never create these through the resource API
	table = frappe.qb.DocType(doc.doctype)
	found = frappe.qb.from_(table).select(table.name).where(table.name == doc.name).where(condition).run()
	return bool(found)


def booking_query(user=None):
	return _query("HS Booking", user)


def booking_event_query(user=None):
	return _query("HS Booking Event", user)


def customer_query(user=None):
	return _query("HS Customer", user)


def customer_address_query(user=None):
	return _query("HS Customer Address", user)


def technician_query(user=None):
	return _query("HS Technician", user)


def qualification_query(user=None):
	return _query("HS Qualification", user)


def technician_leave_query(user=None):
	return _query("HS Technician Leave", user)


def dispatch_offer_query(user=None):
	return _query("HS Dispatch Offer", user)


def appeal_query(user=None):
	return _query("HS Appeal", user)


def review_query(user=None):
	return _query("HS Review", user)


def complaint_query(user=None):
	return _query("HS Complaint", user)


def message_query(user=None):
	return _query("HS Message", user)


def coupon_template_query(user=None):
	return _query("HS Coupon Template", user)


def customer_coupon_query(user=None):
	return _query("HS Customer Coupon", user)


def points_entry_query(user=None):
	return _query("HS Points Entry", user)


def penalty_query(user=None):
	return _query("HS Technician Penalty", user)
