# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import json

import frappe
from frappe import _
from frappe.model.document import Document


class HSServiceArea(Document):
	def validate(self):
		if not -90 <= (self.center_latitude or 0) <= 90 or not -180 <= (self.center_longitude or 0) <= 180:
			frappe.throw(_("The centre must be a valid latitude and longitude."))
		if (self.radius_km or 0) < 0:
			frappe.throw(_("The radius cannot be negative."))
		self.validate_polygon()

	def validate_polygon(self):
		if not self.polygon:
			return
		try:
			points = json.loads(self.polygon)
			valid = len(points) >= 3 and all(
				len(p) == 2 and all(isinstance(c, int | float) for c in p) for p in points
			)
		except (ValueError, TypeError):
			valid = False
		if not valid:
			frappe.throw(
				_("The boundary must be a JSON list of at least three [latitude, longitude] points.")
			)
