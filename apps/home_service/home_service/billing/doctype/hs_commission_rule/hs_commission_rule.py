# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document


class HSCommissionRule(Document):
	"""Which share of a booking's gross the technician earns, by level and service category.

	See billing/earnings.py `matching_rule`: highest priority wins, then the more specific rule.
	"""

	def validate(self):
		if self.technician_share is None or not 0 <= self.technician_share <= 100:
			frappe.throw(_("The technician share must be between 0 and 100 percent."))
