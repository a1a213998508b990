# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime


class HSTechnicianLeave(Document):
	def validate(self):
		if get_datetime(self.to_datetime) <= get_datetime(self.from_datetime):
			frappe.throw(_("Leave must end after it starts."))


def on_doctype_update():
	frappe.db.add_index("HS Technician Leave", ["technician", "from_datetime"])
