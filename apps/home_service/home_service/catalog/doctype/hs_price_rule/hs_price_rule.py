# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, to_timedelta

from home_service.catalog.pricing import forget_price_rules

DATED_TYPES = ("Peak Surcharge", "Holiday Surcharge")


class HSPriceRule(Document):
	def validate(self):
		self.normalise_period()
		for field in ("percent", "amount", "free_distance_km", "fee_per_km", "minimum_amount"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(self.meta.get_label(field)))
		if (self.percent or 0) > 300:
			frappe.throw(_("A surcharge above 300% is almost certainly a typo."))
		if self.rule_type in DATED_TYPES and not (self.from_date and self.to_date):
			frappe.throw(_("Set the From Date and To Date: the surcharge covers those whole days."))
		if self.rule_type == "Night Surcharge" and not (self.start_time and self.end_time):
			frappe.throw(_("Set the Start Time and End Time of the night period."))
		if self.from_date and self.to_date and getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(_("The end date must not be before the start date."))
		if self.rule_type == "Night Surcharge" and self.start_time == self.end_time:
			frappe.throw(_("The night period must not start and end at the same time."))

	def normalise_period(self):
		"""A night rule is a time of day in whole seconds; every other surcharge is whole days, its From
		and To dates inclusive (pricing.rule_applies_at), so it keeps no time at all. Frappe's new-doc
		fills every Time field with the current time (microseconds included): those values are noise."""
		if self.rule_type == "Night Surcharge":
			for field in ("start_time", "end_time"):
				if self.get(field):
					self.set(field, str(to_timedelta(self.get(field))).split(".")[0].zfill(8))
		else:
			self.start_time = self.end_time = None
		if self.rule_type not in DATED_TYPES:
			self.from_date = self.to_date = None

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
