# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.billing import offline_payments
from home_service.utils.money import money, to_fen
from home_service.utils.text import clean_text


class HSOfflinePayment(Document):
	"""Money taken (Receive) or handed back (Refund) outside the apps, waiting for finance's approval
	(billing/offline_payments.py applies it)."""

	def validate(self):
		if not self.is_new():
			self.only_the_recorder_changes_a_waiting_record()
		# only finance's decision (offline_payments.approve / reject) sets these
		self.status = offline_payments.PENDING
		for field in ("decided_by", "decided_on", "rejection_reason", "payment"):
			self.set(field, None)
		self.reference = clean_text(self.reference, "Reference", 140) or None
		if self.method in offline_payments.NEEDS_REFERENCE and not self.reference:
			frappe.throw(_("Enter the reference of the {0}.").format(_(self.method)), frappe.MandatoryError)
		if self.payment_type == offline_payments.RECEIVE and not self.booking:
			frappe.throw(_("Choose the booking that was paid."), frappe.MandatoryError)
		if self.payment_type == offline_payments.REFUND and not self.refund:
			frappe.throw(_("Choose the refund whose money was handed back."), frappe.MandatoryError)
		if money(self.amount) <= 0:
			frappe.throw(_("The amount must be positive."), offline_payments.OfflineAmountError)
		self.amount = money(self.amount)
		self.amount_fen = to_fen(self.amount)
		self.currency = "CNY"
		offline_payments.check_record(self)
		self.customer = frappe.db.get_value("HS Booking", self.booking, "customer")

	def after_insert(self):
		offline_payments.hold_booking(self)

	def only_the_recorder_changes_a_waiting_record(self):
		"""Finance approves what the recorder recorded: a decided record is final, and nobody else
		edits a waiting one (they would be a second maker the approval does not see)."""
		before = self.get_doc_before_save()
		if before and before.status != offline_payments.PENDING:
			frappe.throw(
				_("{0} was already {1} and cannot change.").format(self.name, _(before.status)),
				offline_payments.OfflinePaymentStateError,
			)
		if frappe.session.user != self.owner:
			frappe.throw(
				_("Only {0}, who recorded it, can change this record while it waits for approval.").format(
					self.owner
				),
				frappe.PermissionError,
			)
