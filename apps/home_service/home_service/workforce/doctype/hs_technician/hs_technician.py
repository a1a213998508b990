# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_time

from home_service.utils.users import grant_role
from home_service.workforce import capability


class HSTechnician(Document):
	def validate(self):
		self.validate_unique_rows("skills", "skill", _("Skill {0} is listed twice."))
		self.validate_unique_rows("service_areas", "service_area", _("Service area {0} is listed twice."))
		self.validate_working_hours()

	def on_update(self):
		if self.user and self.has_value_changed("user"):
			grant_role(self.user, "HS Technician")
		capability.refresh([self.name])  # skills, areas and hours feed candidate selection

	def on_trash(self):
		capability.remove(self.name)

	def validate_unique_rows(self, table: str, field: str, message: str):
		seen = set()
		for row in self.get(table):
			if row.get(field) in seen:
				frappe.throw(message.format(row.get(field)))
			seen.add(row.get(field))

	def validate_working_hours(self):
		for row in self.working_hours:
			if get_time(row.end_time) <= get_time(row.start_time):
				frappe.throw(_("Row {0}: working hours must end after they start.").format(row.idx))

	@property
	def skill_names(self) -> set[str]:
		return {row.skill for row in self.skills}


def technician_of(user: str | None = None) -> str | None:
	return frappe.db.get_value("HS Technician", {"user": user or frappe.session.user}, "name")
