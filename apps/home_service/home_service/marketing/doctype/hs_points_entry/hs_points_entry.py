# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from home_service.marketing.errors import PointsError
from home_service.marketing.locks import lock_customer
from home_service.marketing.points import expiry_date, move_account


class HSPointsEntry(Document):
	"""Append-only points ledger: a customer's balance is the sum of their entries.

	Inserting locks the customer's row and refuses a debit the balance cannot cover; an entry is
	never changed or deleted afterwards (post a correcting Adjustment instead).
	"""

	def before_insert(self):
		if isinstance(self.points, bool) or int(self.points or 0) != self.points or not self.points:
			frappe.throw(_("Points must be a whole number other than 0."), PointsError)
		self.points = int(self.points)
		self.reference_key = self.reference_key or f"adjustment:{frappe.generate_hash(length=16)}"
		self.posting_datetime = now_datetime()
		self.expires_on = expiry_date(self.entry_type, self.points)
		lock_customer(self.customer)
		move_account(self.customer, self.points)

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Points entries cannot be changed; post a correcting entry instead."))

	def on_trash(self):
		frappe.throw(_("Points entries cannot be deleted; post a correcting entry instead."))
