# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.billing.reconciliation import mark_resolved

# what finance may change on a recorded mismatch; everything else is what the job observed
EDITABLE = ("resolved", "resolution_note")


class ReconciliationItemLockedError(frappe.ValidationError):
	http_status_code = 409


class HSReconciliationItem(Document):
	"""One disagreement between our payment records and a provider's, found by the daily job."""

	def validate(self):
		self.keep_observed_values()
		self.stamp_resolution()

	def keep_observed_values(self):
		before = self.get_doc_before_save()
		if not before:
			return
		for df in self.meta.get_valid_columns():
			if df in EDITABLE or df in ("modified", "modified_by", "resolved_by", "resolved_on"):
				continue
			if str(self.get(df) or "") != str(before.get(df) or ""):
				frappe.throw(
					_("Only Resolved and Resolution Note can be changed on a reconciliation item."),
					ReconciliationItemLockedError,
					title=_("Change Not Allowed"),
				)

	def stamp_resolution(self):
		if self.resolved and (self.is_new() or self.has_value_changed("resolved")):
			mark_resolved(self)
		elif not self.resolved:
			self.resolved_by = None
			self.resolved_on = None
