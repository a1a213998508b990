"""Who is calling, and only that customer's records."""

import frappe
from frappe import _
from frappe.query_builder import DocType

from home_service.booking.doctype.hs_booking.hs_booking import ADDRESS_FIELDS, CUSTOMER_COLUMNS
from home_service.utils.links import fetch_sources
from home_service.utils.text import clean_name

ROLE = ("HS Customer",)


class NoCustomerProfileError(frappe.PermissionError):
	"""The account has the customer role but no HS Customer record (403)."""


class ConflictError(frappe.ValidationError):
	"""The request is understood but the record's state does not allow it now (409)."""

	http_status_code = 409


def current_customer() -> str:
	"""The caller's HS Customer name."""
	table = DocType("HS Customer")  # plain qb: every customer call starts here
	found = frappe.qb.from_(table).select(table.name).where(table.user == frappe.session.user).limit(1).run()
	customer = found and found[0][0]
	if not customer:
		no_customer_profile()
	return customer


def new_booking_rows(address, idempotency_key: str) -> tuple[frappe._dict, str | None, frappe._dict | None]:
	"""What creating a booking starts from, in one query: the caller's customer (their name, status and
	what a booking fetches from them, `HSBooking.customer_row`), the booking an earlier request with
	`idempotency_key` made (None if none), and `address` as a booking copies it (`ADDRESS_FIELDS`) when
	it is the caller's (None otherwise: `own_place` says why)."""
	customer, booking, place = DocType("HS Customer"), DocType("HS Booking"), DocType("HS Customer Address")
	columns = tuple(
		dict.fromkeys(("name", *CUSTOMER_COLUMNS, *fetch_sources(frappe.get_meta("HS Booking"), "customer")))
	)
	address = address.strip() if isinstance(address, str) else None
	found = (
		frappe.qb.from_(customer)
		.left_join(booking)
		.on((booking.customer == customer.name) & (booking.idempotency_key == idempotency_key))
		.left_join(place)
		.on((place.name == address) & (place.customer == customer.name))
		.select(booking.name, *(customer[c] for c in columns), *(place[f] for f in ADDRESS_FIELDS))
		.where(customer.user == frappe.session.user)
		.limit(1)
		.run()
	)
	if not found:
		no_customer_profile()
	replayed, *values = found[0]
	customer_row = frappe._dict(zip(columns, values[: len(columns)], strict=True))
	address_row = values[len(columns) :]
	place_row = frappe._dict(zip(ADDRESS_FIELDS, address_row, strict=True)) if address_row[0] else None
	return customer_row, replayed, place_row


def no_customer_profile() -> None:
	frappe.throw(_("This account has no customer profile."), NoCustomerProfileError)


def not_found(label: str) -> None:
	"""The same answer whether the record belongs to someone else or does not exist."""
	frappe.throw(_("{0} not found.").format(_(label)), frappe.DoesNotExistError)


def own_row(doctype: str, name, customer: str, label: str, fields=("name",)) -> frappe._dict:
	"""`fields` of `customer`'s `doctype` record `name`, in one query; otherwise 404."""
	name = clean_name(name, label)
	table = DocType(doctype)
	found = (
		frappe.qb.from_(table)
		.select(*fields)
		.where((table.name == name) & (table.customer == customer))
		.limit(1)
		.run(as_dict=True)
	)
	if not found:
		not_found(label)
	return found[0]


def own_name(doctype: str, name, customer: str, label: str) -> str:
	"""`name` when it is `customer`'s `doctype` record; otherwise 404."""
	return own_row(doctype, name, customer, label).name


def own_booking(name, customer: str, for_update: bool = False):
	"""The caller's booking (locked with `for_update`, for every change)."""
	name = own_name("HS Booking", name, customer, "Booking")
	doc = frappe.get_doc("HS Booking", name, for_update=for_update)
	if doc.customer != customer:  # re-checked on the locked row
		not_found("Booking")
	return doc


def own_place(name, customer: str) -> frappe._dict:
	"""The caller's address as a booking copies it (`ADDRESS_FIELDS`); otherwise 404."""
	return own_row("HS Customer Address", name, customer, "Address", ADDRESS_FIELDS)


def own_address(name, customer: str, for_update: bool = False):
	name = own_name("HS Customer Address", name, customer, "Address")
	doc = frappe.get_doc("HS Customer Address", name, for_update=for_update)
	if doc.customer != customer:
		not_found("Address")
	return doc
