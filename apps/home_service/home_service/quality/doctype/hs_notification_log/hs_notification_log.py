# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document


class HSNotificationLog(Document):
	"""One message on one channel to one recipient: written before the send, updated after each try
	(see home_service.notifications)."""


def on_doctype_update():
	frappe.db.add_index("HS Notification Log", ["status", "next_attempt_on"])
	frappe.db.add_index("HS Notification Log", ["reference_doctype", "reference_name"])
