"""Creating bookings: the one write path the API, Desk tools and tests share.

The steps other contexts add to a creation (marketing's coupon and points, billing's settling of a
booking with nothing to pay) run through hooks, as paid and cancelled do, so that booking imports
neither (it sits below them): see `hs_before_booking_insert`, `hs_after_booking_insert` and
`hs_on_booking_created` in hooks.py.
"""

import frappe
from frappe.query_builder import DocType

from home_service.utils import extensions
from home_service.utils.db import retry_on_deadlock, rollback_to, transaction_lost


class DuplicateRequestError(frappe.ValidationError):
	http_status_code = 409


def replayed_booking(customer: str, idempotency_key: str | None, for_update: bool = False):
	"""The booking an earlier request with this key made (`flags.hs_replayed` set), or None.

	`for_update` reads it with a locking read, which sees a booking a concurrent request committed
	after this transaction's snapshot was taken."""
	if not idempotency_key:
		return None
	booking = DocType("HS Booking")
	query = (
		frappe.qb.from_(booking)
		.select(booking.name)
		.where((booking.customer == customer) & (booking.idempotency_key == idempotency_key))
	)
	existing = (query.for_update() if for_update else query).run()
	return replayed_doc(existing[0][0], for_update) if existing else None


def replayed_doc(name: str, for_update: bool = False):
	"""Booking `name` as the answer to a retried request (`flags.hs_replayed` set)."""
	doc = frappe.get_doc("HS Booking", name, for_update=for_update)
	doc.flags.hs_replayed = True
	return doc


def create_booking(
	customer: str,
	address: str,
	items: list[dict],
	window_start=None,
	is_immediate: bool = False,
	customer_note: str | None = None,
	source_channel: str | None = None,
	idempotency_key: str | None = None,
	coupon: str | None = None,
	points: int = 0,
	address_doc=None,
	customer_row=None,
):
	"""Price the items, hold a technician's time and insert the booking (Pending Payment).

	A retried request with the same idempotency key returns the booking the first one created.
	`coupon` (an HS Customer Coupon of the customer) and `points` are checked and locked in the same
	transaction as the insert; a refusal raises before anything is written. `address_doc`: the
	HS Customer Address the caller has already loaded and checked, `customer_row` the customer's
	row with `HSBooking.customer_row`'s columns (each saves reading it again).
	"""

	def insert():
		# A replay sent at once waits in the insert on the unique index (customer, idempotency_key)
		# until the first request commits, then fails as a duplicate and returns that booking. No
		# locking pre-check: a gap lock on that index would make different customers deadlock.
		doc = frappe.get_doc(
			{
				"doctype": "HS Booking",
				"customer": customer,
				"address": address,
				"items": [
					{
						"service_item": row.get("service_item"),
						"spec": row.get("spec"),
						"quantity": row.get("quantity") or 1,
					}
					for row in items
				],
				"window_start": window_start or frappe.utils.now_datetime(),
				"is_immediate": 1 if is_immediate else 0,
				"customer_note": customer_note,
				"source_channel": source_channel,
				"idempotency_key": idempotency_key,
			}
		)
		doc.flags.hs_trusted = True  # idempotency_key is server-managed
		doc.flags.hs_loaded = frappe._dict(customer=customer_row, address=address_doc)  # read once here
		doc.flags.hs_hold_after_insert = True  # lock technicians last: they stay locked until commit
		# what the request asks of the hooks; a hook may keep what it reserved here for a later one
		request = frappe._dict(coupon=coupon, points=points)
		frappe.db.savepoint("hs_create_booking")
		try:
			run_hooks("hs_before_booking_insert", doc, request)
			# no link validation: the booking checks what it is given (customer, address, items) in
			# before_insert and takes every other link from those rows, each read once
			doc.insert(ignore_permissions=True, ignore_links=True)
			run_hooks("hs_after_booking_insert", doc, request)
			doc.hold_capacity_now()
			run_hooks("hs_on_booking_created", doc, request)
			return doc
		except Exception as e:
			rollback_to("hs_create_booking", e)
			# a concurrent request with the same key may have won: the unique index refused this
			# insert, or its coupon or time was taken by that very booking; answer with that booking
			doc = not transaction_lost(e) and replayed_booking(customer, idempotency_key, for_update=True)
			if doc:
				return doc
			raise

	return retry_on_deadlock(insert)


def run_hooks(name: str, doc, request) -> None:
	"""Every handler of hook `name`, in the order the apps' hooks.py list them."""
	extensions.emit(name, doc, request)
