# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.model.document import Document


class HSPaymentNotification(Document):
	"""What arrived on a payment webhook and what we did with it (evidence, append-only)."""

	pass
