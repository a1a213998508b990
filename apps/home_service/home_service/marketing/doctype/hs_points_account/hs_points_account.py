# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.model.document import Document


class HSPointsAccount(Document):
	"""A customer's running points total, kept by HS Points Entry in the same transaction as each entry.

	It is the concurrency guard, not the truth: a debit is one conditional UPDATE
	(`balance + points >= 0`) on this row, so two redemptions can never both spend the same points,
	and no locking range read of the ledger is needed (those gap-lock and deadlock between customers).
	The ledger's sum stays the balance customers see; the two agree because entries are only ever
	inserted through HS Points Entry.
	"""
