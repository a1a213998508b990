# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document


class HSLedgerEntry(Document):
	"""One posting of a balanced ledger transaction. Append-only: corrections are reversing entries.

	Only `home_service.billing.ledger.post` creates entries, so every row belongs to a balanced
	transaction; Desk users (even with write rights) can neither add, edit nor delete one.
	"""

	def validate(self):
		if not self.is_new():
			frappe.throw(
				_("Ledger entries cannot be changed; post a reversal instead."), frappe.PermissionError
			)
		if not self.flags.from_ledger:
			frappe.throw(_("Ledger entries are posted by the system only."), frappe.PermissionError)

	def on_trash(self):
		frappe.throw(_("Ledger entries cannot be deleted; post a reversal instead."), frappe.PermissionError)


def on_doctype_update():
	frappe.db.add_unique("HS Ledger Entry", ["posting_key", "line_no"], constraint_name="unique_posting_line")
	frappe.db.add_index("HS Ledger Entry", ["account", "party"], index_name="account_party")
