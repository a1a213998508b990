"""Creating bookings: the one write path the API, Desk tools and tests share."""

import frappe

from home_service.billing.payments import settle_free_booking
from home_service.marketing import checkout
from home_service.utils.db import retry_on_deadlock, rollback_to


class DuplicateRequestError(frappe.ValidationError):
	http_status_code = 409


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
):
	"""Price the items, hold a technician's time and insert the booking (Pending Payment).

	A retried request with the same idempotency key returns the booking the first one created.
	`coupon` (an HS Customer Coupon of the customer) and `points` are checked and locked in the same
	transaction as the insert; a refusal raises before anything is written.
	"""
	if idempotency_key:
		# Replays sent at once queue on the customer's row; the locking read then sees the booking
		# the first one committed (a plain read would keep this transaction's older snapshot).
		frappe.db.get_value("HS Customer", customer, "name", for_update=True)
		existing = frappe.db.get_value(
			"HS Booking", {"customer": customer, "idempotency_key": idempotency_key}, for_update=True
		)
		if existing:
			return frappe.get_doc("HS Booking", existing)

	def insert():
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
		frappe.db.savepoint("hs_create_booking")
		try:
			offers = checkout.reserve(doc, coupon, points)
			doc.insert(ignore_permissions=True)
			checkout.attach(doc, offers)
			settle_free_booking(doc)
			return doc
		except frappe.UniqueValidationError:
			# a concurrent retry with the same key won the unique index (customer, idempotency_key)
			frappe.db.rollback(save_point="hs_create_booking")
			existing = idempotency_key and frappe.db.get_value(
				"HS Booking", {"customer": customer, "idempotency_key": idempotency_key}
			)
			if not existing:
				raise
			return frappe.get_doc("HS Booking", existing)
		except Exception as e:
			rollback_to("hs_create_booking", e)
			raise

	return retry_on_deadlock(insert)
