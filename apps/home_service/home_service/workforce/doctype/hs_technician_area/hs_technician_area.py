# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document


class HSTechnicianArea(Document):
	pass


def on_doctype_update():
	# eligibility joins technicians to this table by service_area first
	frappe.db.add_index("HS Technician Area", ["service_area", "parent"])
