"""Row locks and guarded updates shared by coupons and points.

Every marketing write for a customer first locks that customer's HS Customer row, so claims,
redemptions, returns and expiry for one customer run one after the other and always take their
locks in the same order (customer, then coupon or template rows). Reads that decide something under
the lock are locking reads (`for update`): they see the latest committed rows, not the snapshot an
earlier plain read of the transaction started.
"""

import frappe
from frappe import _


def lock_customer(customer: str) -> None:
	if not frappe.db.sql("select name from `tabHS Customer` where name = %s for update", customer):
		frappe.throw(_("Customer {0} not found.").format(customer), frappe.DoesNotExistError)


def affected_rows() -> int:
	"""Rows matched by the last UPDATE on this connection (its WHERE clause is the guard)."""
	return frappe.db._cursor.rowcount
