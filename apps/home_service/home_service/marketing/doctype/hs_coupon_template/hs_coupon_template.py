# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, get_datetime

from home_service.marketing.coupons import issue_bulk


class HSCouponTemplate(Document):
	"""What a coupon gives and to whom; issuing lives in marketing/coupons.py."""

	def validate(self):
		if self.discount_type == "Fixed Amount" and flt(self.discount_value) <= 0:
			frappe.throw(_("Enter the amount a fixed coupon takes off."))
		if self.discount_type == "Percent" and not 0 < flt(self.discount_percent) <= 100:
			frappe.throw(_("A percent coupon takes off more than 0% and at most 100%."))
		for field in ("max_discount", "min_spend"):
			if flt(self.get(field)) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if self.validity_type == "Fixed Dates":
			if not self.valid_to:
				frappe.throw(_("Enter when the coupon stops being valid."))
			if self.valid_from and get_datetime(self.valid_to) <= get_datetime(self.valid_from):
				frappe.throw(_("The coupon must stop being valid after it starts."))
		elif cint(self.valid_days) < 1:
			frappe.throw(_("A coupon valid for days after claiming needs at least 1 day."))
		if cint(self.quota) < 0:
			frappe.throw(_("The quota cannot be negative (0 means unlimited)."))
		if cint(self.per_customer_limit) < 1:
			frappe.throw(_("Each customer must be able to get at least 1 coupon."))
		self.keep_issued_count()

	def keep_issued_count(self):
		"""`issued` is counted by guarded updates: keep the stored value (locked so no claim slips by)."""
		if self.is_new():
			self.issued = 0
			return
		self.issued = cint(frappe.db.get_value(self.doctype, self.name, "issued", for_update=True))
		if cint(self.quota) and cint(self.quota) < self.issued:
			frappe.throw(
				_("{0} coupons have been issued already; the quota cannot be lower.").format(self.issued)
			)


@frappe.whitelist(methods=["POST"])
def issue_to_customers(template: str, customers: list[str] | str) -> dict:
	"""Desk: issue one coupon of `template` to each customer (names or mobile numbers)."""
	frappe.has_permission("HS Coupon Template", "write", template, throw=True)
	if isinstance(customers, str):
		customers = [line for line in customers.replace(",", "\n").splitlines()]
	names = []
	for value in customers:
		value = (value or "").strip()
		if not value:
			continue
		found = frappe.db.get_value("HS Customer", value) or frappe.db.get_value(
			"HS Customer", {"mobile_no": value}
		)
		names.append(found or value)
	return issue_bulk(template, names)
