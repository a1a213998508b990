# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import json

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.quality.working_calendar import from_settings


class HSQualitySettings(Document):
	"""Working calendar and service levels for complaints, warranty re-visits, reminders and the
	SMS / WeChat templates of each notification event."""

	def validate(self):
		from_settings(self)  # refuses an empty or inverted working day and malformed holidays
		if self.escalate_to and "HS Operations Manager" not in frappe.get_roles(self.escalate_to):
			frappe.throw(_("Escalations go to a user with the HS Operations Manager role."))
		seen = set()
		for row in self.templates:
			if row.event in seen:
				frappe.throw(_("Row {0}: event {1} is listed twice.").format(row.idx, _(row.event)))
			seen.add(row.event)
			if row.wechat_fields:
				try:
					fields = json.loads(row.wechat_fields)
				except ValueError:
					fields = None
				if not isinstance(fields, dict):
					frappe.throw(_("Row {0}: WeChat fields must be a JSON object.").format(row.idx))

	def template_for(self, event: str):
		return next((row for row in self.templates if row.event == event), None)
