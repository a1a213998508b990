# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.model.document import Document


class HSTechnicianEarning(Document):
	"""A completed booking's split between technician and platform, and its settlement."""

	pass
