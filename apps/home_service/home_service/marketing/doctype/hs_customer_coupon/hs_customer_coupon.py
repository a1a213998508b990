# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime


class HSCustomerCoupon(Document):
	"""One issued coupon: Available → Locked (a booking uses it) → Used (paid) or back to Available.

	Coupons are issued from their template (claim, bulk issue, events; see marketing/coupons.py) and
	change status through guarded updates. By hand, staff can only withdraw an Available coupon
	(set it to Expired).
	"""

	def before_insert(self):
		if not self.flags.hs_issuing:
			frappe.throw(_("Issue coupons from their coupon template (Issue to Customers)."))

	def validate(self):
		if self.is_new():
			return
		before = self.get_doc_before_save()
		changed = [
			f
			for f in ("customer", "template", "booking", "valid_from", "valid_to", "discount_amount")
			if str(before.get(f) or "") != str(self.get(f) or "")
		]
		withdrawn = before.status == "Available" and self.status == "Expired"
		if changed or (self.status != before.status and not withdrawn):
			frappe.throw(_("Only an available coupon can be withdrawn by hand (set it to Expired)."))
		if withdrawn:
			self.expired_on = now_datetime()
