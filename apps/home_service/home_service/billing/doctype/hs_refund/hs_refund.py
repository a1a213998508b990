# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.model.document import Document


class HSRefund(Document):
	"""Money going back to a customer, under a key minted before the provider is called."""

	pass
