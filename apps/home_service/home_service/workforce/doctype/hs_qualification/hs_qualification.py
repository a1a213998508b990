# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from home_service.workforce import capability


class HSQualification(Document):
	def validate(self):
		if self.certificate_file and not self.certificate_file.startswith("/private/"):
			frappe.throw(_("Certificate files must be uploaded as private files."), frappe.PermissionError)
		if self.issue_date and self.expiry_date and getdate(self.expiry_date) <= getdate(self.issue_date):
			frappe.throw(_("The expiry date must be after the issue date."))
		if self.review_state == "Rejected" and not self.rejection_reason:
			frappe.throw(_("Give a reason when rejecting a qualification."))
		if self.has_value_changed("review_state") and not self.is_new():
			self.reviewed_by = frappe.session.user
			self.reviewed_on = frappe.utils.now_datetime()

	def on_update(self):
		# approved certificate expiries decide who may be offered work
		capability.refresh_certificates(self.technician)
		previous = self.get_doc_before_save()
		if previous and previous.technician != self.technician:
			capability.refresh_certificates(previous.technician)

	def after_delete(self):
		capability.refresh_certificates(self.technician)


def on_doctype_update():
	frappe.db.add_index("HS Qualification", ["technician", "expiry_date"])
