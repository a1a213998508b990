# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document


class HSBookingEvent(Document):
	"""One line of a booking's timeline. Append-only: the timeline is evidence."""

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Booking events cannot be changed."), frappe.PermissionError)

	def on_trash(self):
		if not frappe.flags.in_test and frappe.session.user != "Administrator":
			frappe.throw(_("Booking events cannot be deleted."), frappe.PermissionError)
