# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document


class HSTechnicianCapability(Document):
	"""Read model kept by home_service.workforce.capability; rows are never edited by hand."""


def on_doctype_update():
	# candidate selection: one range read per (area, skill); rebuilds delete by technician
	frappe.db.add_index("HS Technician Capability", ["service_area", "skill", "technician"])
	frappe.db.add_index("HS Technician Capability", ["technician"])
