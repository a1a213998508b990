# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.utils.money import money


class HSRecyclingPrice(Document):
	"""A day's buying price per kg for one waste type (the price board, see billing/recycling.py)."""

	def validate(self):
		self.waste_type = (self.waste_type or "").strip()
		if not self.waste_type:
			frappe.throw(_("Enter the waste type."))
		if money(self.price_per_kg) < 0:
			frappe.throw(_("The price per kg cannot be negative."))
		if frappe.db.exists(
			"HS Recycling Price",
			{"waste_type": self.waste_type, "valid_on": self.valid_on, "name": ("!=", self.name)},
		):
			frappe.throw(
				_("{0} already has a price for {1}.").format(self.waste_type, self.valid_on),
				frappe.DuplicateEntryError,
			)
