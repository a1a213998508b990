# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.model.document import Document


class HSPayment(Document):
	"""One attempt to collect a booking's amount through a payment gateway."""

	pass
