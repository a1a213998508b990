# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.utils.users import grant_role


class HSCustomer(Document):
	def validate(self):
		self.mobile_no = (self.mobile_no or "").strip() or None
		if self.mobile_no and not self.mobile_no.lstrip("+").isdigit():
			frappe.throw(_("Mobile number {0} is not valid.").format(self.mobile_no))

	def on_update(self):
		if self.user and self.has_value_changed("user"):
			grant_role(self.user, "HS Customer")


def customer_of(user: str | None = None) -> str | None:
	return frappe.db.get_value("HS Customer", {"user": user or frappe.session.user}, "name")
