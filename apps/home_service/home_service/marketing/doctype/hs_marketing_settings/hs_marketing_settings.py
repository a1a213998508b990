# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class HSMarketingSettings(Document):
	"""Points rates and limits; coupons are configured per template."""

	def validate(self):
		for field in (
			"points_per_yuan",
			"yuan_per_100_points",
			"review_points",
			"recycling_points_per_kg",
			"points_validity_days",
		):
			if flt(self.get(field)) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if not 0 <= flt(self.max_redeem_percent) <= 100:
			frappe.throw(_("Max Redeem Percent must be between 0 and 100."))
