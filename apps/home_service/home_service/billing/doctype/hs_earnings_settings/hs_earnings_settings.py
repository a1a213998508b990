# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.utils.money import money


class HSEarningsSettings(Document):
	"""Money rules for technician earnings, withdrawals and recycling payouts."""

	def validate(self):
		if not 0 <= (self.default_technician_share or 0) <= 100:
			frappe.throw(_("The default technician share must be between 0 and 100 percent."))
		for field in ("settlement_delay_days", "withdrawals_per_day"):
			if (self.get(field) or 0) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		for field in (
			"withdrawal_minimum",
			"withdrawal_maximum",
			"recycling_max_per_pickup",
			"recycling_max_per_customer_day",
			"recycling_review_kg",
		):
			if money(self.get(field)) < 0:
				frappe.throw(_("{0} cannot be negative.").format(_(self.meta.get_label(field))))
		if money(self.withdrawal_maximum) and money(self.withdrawal_maximum) < money(self.withdrawal_minimum):
			frappe.throw(_("The largest withdrawal cannot be below the minimum withdrawal."))
		if len(self.transfer_remark or "") > 32:
			frappe.throw(_("The transfer remark can have at most 32 characters."))
		if self.recycling_transfer_gateway and self.has_value_changed("recycling_transfer_gateway"):
			from home_service.billing.gateways import payout_gateway_names

			if self.recycling_transfer_gateway not in payout_gateway_names():
				frappe.throw(
					_("{0} cannot pay out; choose one of: {1}.").format(
						self.recycling_transfer_gateway, ", ".join(payout_gateway_names())
					)
				)

	def on_update(self):
		frappe.clear_document_cache(self.doctype, self.name)
