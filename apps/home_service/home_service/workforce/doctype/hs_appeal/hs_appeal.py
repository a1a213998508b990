# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from home_service.workforce import penalties

RESOLVED = ("Upheld", "Rejected")


class HSAppeal(Document):
	def validate(self):
		self.validate_reference()
		self.record_resolution()

	def validate_reference(self):
		if bool(self.reference_doctype) != bool(self.reference_name):
			frappe.throw(_("Give both the reference type and the reference, or neither."))
		if self.is_new() and self.reference_doctype == penalties.PENALTY:
			penalties.assert_appealable(self.reference_name, self.technician)

	def record_resolution(self):
		if self.status == "Rejected" and not (self.resolution or "").strip():
			frappe.throw(_("Explain to the technician why the appeal is rejected."))
		if not self.has_value_changed("status"):
			return
		if self.status in RESOLVED:
			self.resolved_by = frappe.session.user
			self.resolved_on = now_datetime()
		else:
			self.resolved_by = self.resolved_on = None


def on_doctype_update():
	frappe.db.add_index("HS Appeal", ["reference_doctype", "reference_name"])
