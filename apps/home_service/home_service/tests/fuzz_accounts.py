"""Throw-away accounts for the property-based API run (tests/security/test_fuzz_openapi.py), so that
generated writes never touch the demo users: a customer and an approved technician, each with a
mini-program token, and their removal afterwards. Called through `bench execute`."""

import frappe

from home_service.access.tokens import issue_token
from home_service.tests.factories import make_customer, make_technician
from home_service.utils.db import retry_on_deadlock

MARK = "FUZZ"


def create() -> dict:
	# the suites run while other work writes the same naming series: a deadlock victim starts again
	return retry_on_deadlock(_create)


def _create() -> dict:
	customer = make_customer(with_user=True, customer_name=f"{MARK} 顾客", notes=MARK)
	technician = make_technician(with_user=True, technician_name=f"{MARK} 师傅", bio=MARK)
	customer_user = frappe.db.get_value("HS Customer", customer, "user")
	technician_user = frappe.db.get_value("HS Technician", technician, "user")
	frappe.db.commit()
	return {
		"customer": customer,
		"technician": technician,
		"customer_token": issue_token(customer_user, "WeChat Mini Program")["token"],
		"technician_token": issue_token(technician_user, "Technician App")["token"],
	}


def remove(customer: str, technician: str) -> None:
	"""Cancel what the run booked (releasing held time), then disable both accounts."""
	from home_service.booking import cancellation
	from home_service.booking.lifecycle import CLOSED

	for name in frappe.get_all("HS Booking", filters={"customer": customer}, pluck="name"):
		doc = frappe.get_doc("HS Booking", name, for_update=True)
		if doc.status not in CLOSED:
			try:
				cancellation.cancel(doc, MARK, actor_role="System")
			except frappe.ValidationError:
				frappe.db.set_value("HS Booking", name, "internal_note", f"{MARK}: left as is")
	for doctype, name in (("HS Customer", customer), ("HS Technician", technician)):
		user = frappe.db.get_value(doctype, name, "user")
		if user:
			frappe.db.set_value("User", user, "enabled", 0)
	frappe.db.set_value("HS Customer", customer, "status", "Blacklisted")
	frappe.db.set_value("HS Technician", technician, {"status": "Offline", "review_status": "Suspended"})
	frappe.db.commit()


def fingerprint(customer: str, technician: str) -> dict:
	"""For each account: its own last change and, per DocType field that points at it (Link or
	Dynamic Link), how many rows point there and their last change. Equal fingerprints before and
	after a batch of requests prove the requests changed nothing of these accounts."""
	from frappe.query_builder.functions import Count, Max

	out = {}
	for doctype, name in (("HS Customer", customer), ("HS Technician", technician)):
		out[doctype] = str(frappe.db.get_value(doctype, name, "modified"))
		fields = frappe.get_all(
			"DocField",
			filters={"fieldtype": ["in", ("Link", "Dynamic Link")]},
			fields=["parent", "fieldname", "fieldtype", "options"],
		)
		for df in fields:
			meta = frappe.get_meta(df.parent)
			if meta.issingle or meta.is_virtual:
				continue
			table = frappe.qb.DocType(df.parent)
			query = (
				frappe.qb.from_(table)
				.select(Count("*"), Max(table.modified))
				.where(table[df.fieldname] == name)
			)
			if df.fieldtype == "Link":
				if df.options != doctype:
					continue
			else:
				query = query.where(table[df.options] == doctype)
			count, last = query.run()[0]
			if count:
				out[f"{df.parent}.{df.fieldname}"] = [count, str(last)]
	return out
