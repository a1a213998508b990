# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document


class HSDispatchDecision(Document):
	"""Why a booking was offered to whom: append-only evidence for dispatchers and audits."""

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Dispatch decisions cannot be changed."), frappe.PermissionError)
