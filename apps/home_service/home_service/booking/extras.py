"""Extra charges a technician proposes on site (e.g. a part to replace) and the customer decides."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.booking.lifecycle import Status
from home_service.utils.money import ZERO, money

PROPOSABLE = (Status.ARRIVED, Status.IN_SERVICE)
MAX_EXTRA = money(100000)


def propose(doc, lines: list[dict]) -> None:
	"""Append proposed charges; `doc` must be locked by the caller (get_doc(..., for_update=True))."""
	if doc.status not in PROPOSABLE:
		frappe.throw(_("Extra charges can be proposed only on site."))
	if not lines or len(lines) > 10:
		frappe.throw(_("Propose between 1 and 10 extra charges."))
	for line in lines:
		description = (line.get("description") or "").strip()
		amount = money(line.get("amount"))
		if not description or len(description) > 140:
			frappe.throw(_("Each extra charge needs a short description."))
		if amount <= ZERO or amount > MAX_EXTRA:
			frappe.throw(_("Each extra charge must be between ¥0.01 and ¥{0}.").format(MAX_EXTRA))
		doc.append(
			"extra_charges",
			{
				"description": description,
				"amount": amount,
				"status": "Proposed",
				"photo": line.get("photo"),
				"proposed_on": now_datetime(),
			},
		)
	doc.flags.hs_trusted = True
	doc.save(ignore_permissions=True)


def decide(doc, row_name: str, approve: bool) -> None:
	"""The customer approves or declines one proposed charge; approved ones add to the bill."""
	row = next((r for r in doc.extra_charges if r.name == row_name), None)
	if row is None:
		frappe.throw(_("No such extra charge on this booking."), frappe.DoesNotExistError)
	if row.status != "Proposed":
		frappe.throw(_("This extra charge was already {0}.").format(_(row.status)))
	row.status = "Approved" if approve else "Declined"
	row.decided_on = now_datetime()
	doc.extra_total = sum((money(r.amount) for r in doc.extra_charges if r.status == "Approved"), ZERO)
	doc.flags.hs_trusted = True
	doc.save(ignore_permissions=True)
