# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.utils import extensions

WEIGHTS = ("weight_distance", "weight_rating", "weight_load", "weight_acceptance", "weight_previous")


class HSDispatchRule(Document):
	def validate(self):
		# a Data field, so an add-on's strategy needs no change here (utils/extensions.py)
		extensions.validate_choice(self, "strategy", "hs_dispatch_strategies")
		if any((self.get(f) or 0) < 0 for f in WEIGHTS):
			frappe.throw(_("Weights cannot be negative."))
		if not any(self.get(f) for f in WEIGHTS):
			frappe.throw(_("Give at least one factor a weight."))
		if (self.offer_timeout_seconds or 0) < 10:
			frappe.throw(_("Give technicians at least 10 seconds to accept."))
		if (self.max_rounds or 0) < 1 or (self.broadcast_size or 0) < 1:
			frappe.throw(_("Rounds and broadcast size must be at least 1."))
		if (self.search_radius_km or 0) <= 0:
			frappe.throw(_("The search radius must be positive."))
