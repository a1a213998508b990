# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document


class HSAccessToken(Document):
	def on_update(self):
		# a revocation or a shorter expiry made in Desk applies to the very next request
		frappe.cache.delete_value(f"hs_token:{self.token_hash}")

	def on_trash(self):
		frappe.cache.delete_value(f"hs_token:{self.token_hash}")
