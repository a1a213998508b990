"""Post balanced, append-only ledger transactions and read balances as sums.

A transaction is a list of lines that sum to zero, posted under a unique `posting_key` (for example
`HS-PAY-00012:captured`). Posting the same key twice is a no-op, so every caller can be retried; a
unique index on (posting_key, line_no) makes that hold across concurrent connections too.
"""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.query_builder.functions import Sum
from frappe.utils import now_datetime

from home_service.billing.accounts import LIABILITIES

ENTRY = "HS Ledger Entry"


class UnbalancedTransactionError(frappe.ValidationError):
	pass


@dataclass(frozen=True)
class Line:
	account: str
	amount_fen: int  # debit positive, credit negative
	party_type: str | None = None
	party: str | None = None


def debit(account: str, fen: int, party_type: str | None = None, party: str | None = None) -> Line:
	return Line(account, int(fen), party_type, party)


def credit(account: str, fen: int, party_type: str | None = None, party: str | None = None) -> Line:
	return Line(account, -int(fen), party_type, party)


def post(
	posting_key: str,
	lines: list[Line],
	voucher_type: str | None = None,
	voucher_no: str | None = None,
	booking: str | None = None,
	remarks: str | None = None,
	reverses_key: str | None = None,
) -> bool:
	"""Insert the transaction; False when `posting_key` was posted before (nothing changes)."""
	lines = [line for line in lines if line.amount_fen]
	if not lines:
		return False
	if sum(line.amount_fen for line in lines) != 0:
		frappe.throw(
			_("Ledger transaction {0} does not balance.").format(posting_key), UnbalancedTransactionError
		)
	if frappe.db.exists(ENTRY, {"posting_key": posting_key}):
		return False
	posted_on = now_datetime()
	frappe.db.savepoint("hs_ledger_post")
	try:
		for line_no, line in enumerate(lines, start=1):
			entry = frappe.new_doc(ENTRY)
			entry.update(
				{
					"posting_key": posting_key,
					"line_no": line_no,
					"account": line.account,
					"party_type": line.party_type,
					"party": line.party,
					"amount_fen": line.amount_fen,
					"amount": line.amount_fen / 100,
					"currency": "CNY",
					"posted_on": posted_on,
					"voucher_type": voucher_type,
					"voucher_no": voucher_no,
					"booking": booking,
					"reverses_key": reverses_key,
					"remarks": remarks,
				}
			)
			entry.flags.from_ledger = True
			entry.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		# a concurrent connection posted the same key first: theirs stands, ours is a retry
		frappe.db.rollback(save_point="hs_ledger_post")
		return False
	return True


def reverse(posting_key: str, new_key: str, remarks: str | None = None) -> bool:
	"""Post the mirror image of a transaction (corrections never edit or delete entries)."""
	rows = frappe.get_all(
		ENTRY,
		filters={"posting_key": posting_key},
		fields=["account", "amount_fen", "party_type", "party", "voucher_type", "voucher_no", "booking"],
		order_by="line_no asc",
	)
	if not rows:
		return False
	lines = [Line(r.account, -r.amount_fen, r.party_type, r.party) for r in rows]
	return post(
		new_key,
		lines,
		rows[0].voucher_type,
		rows[0].voucher_no,
		rows[0].booking,
		remarks=remarks or _("Reversal of {0}").format(posting_key),
		reverses_key=posting_key,
	)


def balance_fen(account: str, party_type: str | None = None, party: str | None = None) -> int:
	"""Sum of the account's postings (debit positive), optionally for one party."""
	entry = frappe.qb.DocType(ENTRY)
	query = frappe.qb.from_(entry).select(Sum(entry.amount_fen)).where(entry.account == account)
	if party is not None:
		query = query.where((entry.party_type == party_type) & (entry.party == party))
	value = query.run()[0][0]
	return int(value or 0)


def owed_fen(account: str, party_type: str | None = None, party: str | None = None) -> int:
	"""What the platform owes on a liability account (its credit balance as a positive number)."""
	value = balance_fen(account, party_type, party)
	return -value if account in LIABILITIES else value


def unbalanced_keys(limit: int = 20) -> list[str]:
	"""Posting keys whose lines do not sum to zero (should always be empty)."""
	entry = frappe.qb.DocType(ENTRY)
	rows = (
		frappe.qb.from_(entry)
		.select(entry.posting_key)
		.groupby(entry.posting_key)
		.having(Sum(entry.amount_fen) != 0)
		.limit(limit)
		.run()
	)
	return [row[0] for row in rows]
