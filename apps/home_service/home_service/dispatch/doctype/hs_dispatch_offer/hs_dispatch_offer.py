# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

FINAL = ("Accepted", "Rejected", "Expired", "Withdrawn")


class HSDispatchOffer(Document):
	def validate(self):
		previous = self.get_doc_before_save()
		if previous and previous.status in FINAL and previous.status != self.status:
			frappe.throw(_("An offer that is {0} cannot change.").format(_(previous.status)))
