# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.utils.money import to_fen
from home_service.workforce import penalties

# what a penalty says; once applied it stands as it was (waive it, or appeal it, instead)
TERMS = ("technician", "booking", "amount", "reason")


class HSTechnicianPenalty(Document):
	"""A fine on a technician's earnings; see workforce/penalties.py for the states and
	billing/penalties.py for the ledger (Desk's Apply and Waive buttons call billing/desk.py).

	Staff create a draft in Desk and apply or waive it with the form's buttons (the methods below);
	the technician lists it and may appeal it in the technician app.
	"""

	def validate(self):
		self.validate_amount()
		self.validate_booking()
		self.validate_unchanged_once_applied()

	def validate_amount(self):
		self.amount_fen = to_fen(self.amount or 0)
		if self.amount_fen <= 0:
			frappe.throw(_("A penalty must be more than ¥0."))

	def validate_booking(self):
		if self.booking and frappe.db.get_value("HS Booking", self.booking, "technician") != self.technician:
			frappe.throw(_("Booking {0} is not a job of this technician.").format(self.booking))

	def validate_unchanged_once_applied(self):
		if self.is_new():
			self.status = penalties.DRAFT  # applying is a separate, explicit step
			return
		if self.has_value_changed("status"):
			frappe.throw(_("Use the Apply and Waive buttons to change a penalty's status."))
		before = self.get_doc_before_save()
		if before and before.status != penalties.DRAFT and any(self.has_value_changed(f) for f in TERMS):
			frappe.throw(_("An applied penalty cannot be changed; waive it instead."))

	def on_trash(self):
		if self.status != penalties.DRAFT:
			frappe.throw(_("Only a draft penalty can be deleted."))
