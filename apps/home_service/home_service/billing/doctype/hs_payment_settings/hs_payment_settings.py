# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.model.document import Document


class HSPaymentSettings(Document):
	"""Gateway credentials. Keys are Password fields: encrypted at rest, never returned."""

	pass
