"""A technician's rating is the average of their published reviews, kept up to date incrementally.

Imported history (a technician who joined with 102 ratings averaging 4.7) has no review rows, so the
average is moved by each change instead of being recomputed from HS Review. Every change locks the
technician row first, so two reviews saved at the same moment cannot overwrite each other.
"""

import frappe
from frappe.utils import cint, flt


def change_rating(technician: str | None, added: int | None = None, removed: int | None = None) -> None:
	"""Add a published rating, take one out (a hidden review), or both (an edited rating)."""
	if not technician or (added is None and removed is None):
		return
	row = frappe.db.sql(
		"select rating, rating_count from `tabHS Technician` where name = %s for update",
		technician,
		as_dict=True,
	)
	if not row:
		return
	count = cint(row[0].rating_count)
	total = flt(row[0].rating) * count
	if added is not None:
		total, count = total + added, count + 1
	if removed is not None and count > 0:
		total, count = total - removed, count - 1
	rating = round(min(max(total / count, 0), 5), 2) if count > 0 else 0
	frappe.db.set_value(
		"HS Technician", technician, {"rating": rating, "rating_count": count}, update_modified=False
	)
