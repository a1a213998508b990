# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document


class HSMessage(Document):
	pass


def on_doctype_update():
	frappe.db.add_index("HS Message", ["recipient", "is_read", "creation"])
