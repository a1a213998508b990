# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from home_service.workforce import capability, certificates

OPEN_STATES = ("Submitted", "Under Review")


class HSQualification(Document):
	"""Reviewed by staff through the Workflow "HS Qualification Review" (Submitted → Under Review →
	Approved / Rejected); the daily job in workforce/certificates.py marks approved ones Expired."""

	def validate(self):
		if self.certificate_file and not self.certificate_file.startswith("/private/"):
			frappe.throw(_("Certificate files must be uploaded as private files."), frappe.PermissionError)
		if self.issue_date and self.expiry_date and getdate(self.expiry_date) <= getdate(self.issue_date):
			frappe.throw(_("The expiry date must be after the issue date."))
		self.rejection_reason = (self.rejection_reason or "").strip() or None
		if self.review_state == "Approved":
			self.rejection_reason = None
		if self.review_state == "Rejected" and not self.rejection_reason:
			frappe.throw(_("Give a reason when rejecting a qualification."))
		if self.review_state == "Expired" and not self.expired_on:
			self.expired_on = today()
		if self.has_value_changed("review_state") and not self.is_new():
			self.reviewed_by = frappe.session.user
			self.reviewed_on = frappe.utils.now_datetime()

	def validate_workflow(self):
		# Staff review through the Workflow's buttons and roles. Trusted code is checked by this
		# controller instead: the expiry job (flag), and records created by the onboarding API or
		# imported already reviewed by an administrator (the demo city).
		if self.flags.hs_system_review:
			return
		if self.is_new() and (self.flags.ignore_permissions or frappe.session.user == "Administrator"):
			return
		super().validate_workflow()

	def on_update(self):
		# approved certificate expiries decide who may be offered work
		capability.refresh_certificates(self.technician)
		previous = self.get_doc_before_save()
		if previous and previous.technician != self.technician:
			capability.refresh_certificates(previous.technician)
		if previous and self.has_value_changed("review_state"):
			certificates.on_review(self)

	def after_delete(self):
		capability.refresh_certificates(self.technician)


def on_doctype_update():
	frappe.db.add_index("HS Qualification", ["technician", "expiry_date"])
