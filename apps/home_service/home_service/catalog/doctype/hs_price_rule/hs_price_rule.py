# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from home_service.catalog.pricing import forget_price_rules


class HSPriceRule(Document):
	def validate(self):
		for field in ("percent", "amount", "free_distance_km", "fee_per_km", "minimum_amount"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(self.meta.get_label(field)))
		if (self.percent or 0) > 300:
			frappe.throw(_("A surcharge above 300% is almost certainly a typo."))
		if self.from_date and self.to_date and getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(_("The end date must not be before the start date."))
		if self.rule_type == "Night Surcharge" and self.start_time == self.end_time:
			frappe.throw(_("The night period must not start and end at the same time."))

	def on_change(self):
		self.forget_rules()

	def on_trash(self):
		self.forget_rules()

	def after_rename(self, old, new, merge=False):
		self.forget_rules()

	def forget_rules(self):
		forget_price_rules()
		# a quote later in this transaction may cache the rules before they commit or roll back
		frappe.db.after_commit.add(forget_price_rules)
		frappe.db.after_rollback.add(forget_price_rules)
