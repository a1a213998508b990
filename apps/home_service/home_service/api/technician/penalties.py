"""Penalties on my earnings: what was deducted, why, and what became of my appeal.

Drafts are the operations team's work in progress and are not shown. A penalty is appealed with
reviews.create_appeal (reference_doctype HS Technician Penalty); an upheld appeal waives it and gives
the amount back (workforce/penalties.py).
"""

import frappe
from frappe import _

from home_service.api.registry import endpoint, page_args, paged
from home_service.api.technician.scope import ROLE, amount, current_technician
from home_service.workforce.penalties import APPEALED, APPLIED, PENALTY, WAIVED

TAG = "technician/penalties"
STATUSES = (APPLIED, APPEALED, WAIVED)
FIELDS = [
	"name",
	"booking",
	"reason",
	"amount",
	"status",
	"applied_on",
	"waived_on",
	"waive_reason",
	"appeal",
]


@endpoint(roles=ROLE, tag=TAG)
def list_penalties(status: str | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""Penalties applied to me, newest first; `status`: Applied, Appealed or Waived."""
	technician = current_technician(approved=False)
	filters = {"technician": technician.name, "status": ("in", STATUSES)}
	if status:
		if status not in STATUSES:
			frappe.throw(_("status must be one of: {0}.").format(", ".join(STATUSES)))
		filters["status"] = status
	start, length = page_args(page, page_size)
	rows = frappe.get_list(
		PENALTY,
		filters=filters,
		fields=FIELDS,
		order_by="applied_on desc, creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	appeals = appeals_of([row.name for row in rows], technician.name)
	items = [penalty_out(row, appeals.get(row.name)) for row in rows]
	return paged(items, frappe.db.count(PENALTY, filters), start, length)


def appeals_of(penalties: list[str], technician: str) -> dict:
	"""My latest appeal about each penalty."""
	if not penalties:
		return {}
	rows = frappe.get_list(
		"HS Appeal",
		filters={"technician": technician, "reference_doctype": PENALTY, "reference_name": ("in", penalties)},
		fields=["name", "reference_name", "status", "resolution"],
		order_by="creation asc",
	)
	return {row.reference_name: row for row in rows}


def penalty_out(row, appeal) -> dict:
	return {
		"penalty": row.name,
		"booking": row.booking,
		"reason": row.reason,
		"amount": amount(row.amount),
		"status": row.status,
		"applied_on": str(row.applied_on) if row.applied_on else None,
		"waived_on": str(row.waived_on) if row.waived_on else None,
		"waive_reason": row.waive_reason,
		"can_appeal": row.status == APPLIED,
		"appeal": {"appeal": appeal.name, "status": appeal.status, "resolution": appeal.resolution}
		if appeal
		else None,
	}
