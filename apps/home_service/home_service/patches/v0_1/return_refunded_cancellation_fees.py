import frappe

from home_service.billing.refunds import return_kept_fee


def execute():
	"""Cancellation fees kept and later refunded before refunds.return_kept_fee existed: the refund
	debited the booking's Customer Prepaid while the fee stayed in Platform Revenue. Post the return of
	the fee for each such booking (keyed, so running again posts nothing)."""
	bookings = frappe.db.sql_list(
		"""select distinct booking from `tabHS Ledger Entry`
		where posting_key like %s and booking is not null""",
		"%:cancellation-fee",
	)
	for name in bookings:
		return_kept_fee(frappe.get_doc("HS Booking", name))
