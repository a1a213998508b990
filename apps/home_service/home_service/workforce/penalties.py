"""Penalties on technicians' earnings: draft, apply (post to the ledger), appeal, waive (reverse).

Status: Draft → Applied → (Appealed → Applied | Waived) | Waived. A Draft can be edited or deleted;
after that only billing/penalties.py changes a penalty: posting is billing's, and this master layer
keeps the states and the checks that need no ledger.
"""

import frappe
from frappe import _

PENALTY = "HS Technician Penalty"
TECHNICIAN = "HS Technician"
DRAFT, APPLIED, APPEALED, WAIVED = "Draft", "Applied", "Appealed", "Waived"
STAFF = ("HS Operations Manager", "HS Customer Service", "System Manager")


class PenaltyStateError(frappe.ValidationError):
	http_status_code = 409


def assert_appealable(name: str, technician: str) -> None:
	"""An appeal may be lodged about an applied penalty of the appealing technician only."""
	status, owner = frappe.db.get_value(PENALTY, name, ["status", "technician"]) or (None, None)
	if owner != technician:
		frappe.throw(_("This penalty is not about this technician."))
	if status != APPLIED:
		frappe.throw(
			_("Only an applied penalty can be appealed; this one is {0}.").format(_(status)),
			PenaltyStateError,
		)


def require_staff() -> None:
	frappe.only_for(STAFF)
