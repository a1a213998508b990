# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document

from home_service.billing import recycling


class HSRecyclingPickup(Document):
	"""What a collector weighed at a recycling pickup and what the customer is paid for it.

	Created and changed only by `billing.recycling`; finance or operations decide a pickup in review
	with the Approve / Reject buttons.
	"""

	pass


@frappe.whitelist(methods=["POST"])
def approve(name: str) -> dict:
	doc = recycling.approve(name)
	return {"name": doc.name, "status": doc.status}


@frappe.whitelist(methods=["POST"])
def reject(name: str, reason: str) -> dict:
	doc = recycling.reject(name, reason)
	return {"name": doc.name, "status": doc.status}
