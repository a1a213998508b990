# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.model.document import Document

from home_service.utils import extensions


class HSSettings(Document):
	def validate(self):
		# a Data field, so an add-on's provider needs no change here (utils/extensions.py)
		extensions.validate_choice(self, "sms_provider", "hs_sms_providers")
