"""Penalties on technicians' earnings, the ledger side (the states are workforce/penalties.py's).

Applying posts once, under `<penalty>:applied`:

    Dr Technician Available  what is available now, up to the amount   (party: the technician)
    Dr Technician Pending    the rest: a debt the next settlement nets  (party: the technician)
    Cr Platform Revenue      the amount

Waiving (by hand, or when an appeal about the penalty is upheld) posts the mirror image once, under
`<penalty>:waived`. Both take the technician row lock first, as settlements, clawbacks and
withdrawals do, so a penalty and a withdrawal never both spend the same available balance. An
appeal's steps reach the penalty through a `doc_events` hook on HS Appeal (`on_appeal_update`).
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.billing.accounts import Account
from home_service.billing.earnings import lock_technician, locked_owed_fen
from home_service.billing.ledger import credit, debit, post, reverse
from home_service.workforce.penalties import (
	APPEALED,
	APPLIED,
	DRAFT,
	PENALTY,
	TECHNICIAN,
	WAIVED,
	PenaltyStateError,
)


def applied_key(name: str) -> str:
	return f"{name}:applied"


def locked(name: str):
	"""The penalty under the house lock order: its technician's row first, then the penalty's."""
	technician = frappe.db.get_value(PENALTY, name, "technician")
	if not technician:
		frappe.throw(_("{0} not found.").format(_(PENALTY)), frappe.DoesNotExistError)
	lock_technician(technician)
	return frappe.get_doc(PENALTY, name, for_update=True)


def apply(name: str):
	"""Post a draft penalty to the ledger and mark it Applied."""
	doc = locked(name)
	if doc.status != DRAFT:
		frappe.throw(
			_("Only a draft penalty can be applied; this one is {0}.").format(_(doc.status)),
			PenaltyStateError,
		)
	available = max(locked_owed_fen(Account.TECHNICIAN_AVAILABLE, doc.technician), 0)
	from_available = min(doc.amount_fen, available)
	post(
		applied_key(doc.name),
		[
			debit(Account.TECHNICIAN_AVAILABLE, from_available, TECHNICIAN, doc.technician),
			debit(Account.TECHNICIAN_PENDING, doc.amount_fen - from_available, TECHNICIAN, doc.technician),
			credit(Account.PLATFORM_REVENUE, doc.amount_fen),
		],
		PENALTY,
		doc.name,
		booking=doc.booking,
		remarks=f"penalty: {doc.amount_fen} fen",
	)
	doc.db_set({"status": APPLIED, "applied_on": now_datetime(), "applied_by": frappe.session.user})
	return doc


def waive(name: str, reason: str, appeal: str | None = None):
	"""Reverse an applied penalty's posting (once) and mark it Waived; waiving again changes nothing."""
	doc = locked(name)
	if doc.status == WAIVED:
		return doc
	if doc.status not in (APPLIED, APPEALED):
		frappe.throw(_("Only an applied penalty can be waived; delete a draft instead."), PenaltyStateError)
	reverse(applied_key(doc.name), f"{doc.name}:waived", remarks=f"penalty waived: {doc.amount_fen} fen")
	doc.db_set(
		{
			"status": WAIVED,
			"waived_on": now_datetime(),
			"waived_by": frappe.session.user,
			"waive_reason": reason,
			"appeal": appeal or doc.appeal,
		}
	)
	return doc


def on_appeal_update(appeal, method=None) -> None:
	"""`doc_events` hook, HS Appeal on_update: the penalty it is about follows its status (each step happens once)."""
	if appeal.reference_doctype != PENALTY or not appeal.reference_name:
		return
	doc = locked(appeal.reference_name)
	if appeal.status == "Upheld":
		waive(doc.name, appeal.resolution or _("Appeal {0} upheld").format(appeal.name), appeal=appeal.name)
	elif appeal.status == "Pending" and doc.status == APPLIED:
		doc.db_set({"status": APPEALED, "appeal": appeal.name})
	elif appeal.status == "Rejected" and doc.status == APPEALED:
		doc.db_set("status", APPLIED)
