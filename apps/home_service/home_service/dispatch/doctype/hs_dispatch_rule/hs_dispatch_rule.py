# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.dispatch.engine import registered_strategies

WEIGHTS = ("weight_distance", "weight_rating", "weight_load", "weight_acceptance", "weight_previous")


class HSDispatchRule(Document):
	def validate(self):
		if self.strategy not in registered_strategies():
			frappe.throw(
				_("Unknown strategy {0}. Installed: {1}").format(
					frappe.bold(self.strategy), ", ".join(registered_strategies())
				)
			)
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
