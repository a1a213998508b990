# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.utils import extensions


class HSServiceItem(Document):
	def validate(self):
		# a Data field, so an add-on's model needs no change here (utils/extensions.py)
		extensions.validate_choice(self, "pricing_model", "hs_pricing_models")
		names = [row.spec_name for row in self.specs]
		if len(names) != len(set(names)):
			frappe.throw(_("Each specification needs its own name."))
		if sum(1 for row in self.specs if row.is_default) > 1:
			frappe.throw(_("Only one specification can be the default."))
		if any((row.price or 0) < 0 for row in self.specs) or (self.base_price or 0) < 0:
			frappe.throw(_("Prices cannot be negative."))
		if self.pricing_model in ("Fixed", "Per Unit") and not self.specs and not self.base_price:
			frappe.throw(_("Give a base price or at least one priced specification."))
		if self.pricing_model == "Quote After Inspection" and not self.visit_fee:
			frappe.throw(_("Items quoted after inspection need a visit fee."))
		if self.pricing_model == "Recycling" and not self.specs and not self.base_price:
			frappe.throw(_("Recycling items need a payout per kg for each waste type."))
		if (self.duration_minutes or 0) <= 0:
			frappe.throw(_("The duration must be positive."))
