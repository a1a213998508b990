"""Daily payment reconciliation: ask each provider about every payment and refund of a day.

Our HS Payment / HS Refund rows are compared with what the gateway answers (`query_order`,
`query_refund`); each disagreement becomes an HS Reconciliation Item for finance to resolve. Nothing
here changes a payment, a refund or the ledger: recovering a lost notification stays the job of
billing/jobs.py, under its locks. A payment or refund belongs to the day it was created.

Running a day again replaces that day's unresolved items (per gateway checked) and never repeats an
issue someone already marked resolved.
"""

from dataclasses import dataclass
from decimal import Decimal

import frappe
from frappe.utils import add_days, getdate, now_datetime, nowdate

from home_service.billing.gateways import get_gateway
from home_service.billing.gateways.base import GatewayError, RefundState, TradeState
from home_service.utils.money import money

ITEM = "HS Reconciliation Item"

MISSING = "Missing at Provider"
STATE_DIFFERS = "State Differs"
AMOUNT_DIFFERS = "Amount Differs"
PAID_NOT_HERE = "Paid at Provider but Not Here"

PROVIDER_PAID = frozenset({TradeState.PAID, TradeState.REFUNDED})
# refunds that reached the provider; Pending Approval and Rejected ones never left our side
SUBMITTED_REFUNDS = ("Processing", "Succeeded", "Failed")
REFUND_STATES = {
	"Processing": RefundState.PROCESSING,
	"Succeeded": RefundState.SUCCESS,
	"Failed": RefundState.FAILED,
}


@dataclass
class Finding:
	issue: str
	reference_type: str
	reference_name: str
	reference_no: str
	booking: str | None
	our_state: str
	our_amount_fen: int | None
	provider_state: str
	provider_amount_fen: int | None


def reconcile_day(date=None) -> dict:
	"""Reconcile `date` (default: yesterday) for every gateway that has payments or refunds on it.

	Returns {gateway: {"checked": n, "issues": n, "errors": n}}. A gateway that cannot be reached
	for one row is logged and skipped for that row; its other rows are still checked.
	"""
	day = getdate(date) if date else getdate(add_days(nowdate(), -1))
	payments = _payments_of(day)
	refunds = _refunds_of(day)
	gateways = sorted({row.gateway for row in payments} | {row.gateway for row in refunds})
	summary = {}
	for gateway_name in gateways:
		summary[gateway_name] = _reconcile_gateway(
			day,
			gateway_name,
			[row for row in payments if row.gateway == gateway_name],
			[row for row in refunds if row.gateway == gateway_name],
		)
	return summary


def _reconcile_gateway(day, gateway_name: str, payments: list, refunds: list) -> dict:
	counts = {"checked": 0, "issues": 0, "errors": 0}
	findings: list[Finding] = []
	errors: list[str] = []
	try:
		gateway = get_gateway(gateway_name)
	except frappe.ValidationError as exc:
		frappe.log_error(f"HS reconciliation: {gateway_name}", str(exc))
		counts["errors"] = len(payments) + len(refunds)
		return counts
	for row in payments:
		try:
			trade = gateway.query_order(row.out_trade_no)
		except GatewayError as exc:
			errors.append(f"{row.name}: {exc}")
			continue
		counts["checked"] += 1
		finding = compare_payment(row, trade.state, trade.amount_fen)
		if finding:
			findings.append(finding)
	for row in refunds:
		try:
			payment = frappe._dict(out_trade_no=row.out_trade_no, amount_fen=row.payment_amount_fen)
			result = gateway.query_refund(row, payment)
		except GatewayError as exc:
			errors.append(f"{row.name}: {exc}")
			continue
		counts["checked"] += 1
		finding = compare_refund(row, result.state, result.amount_fen)
		if finding:
			findings.append(finding)
	counts["errors"] = len(errors)
	if errors:
		frappe.log_error(f"HS reconciliation: {gateway_name} {day}", "\n".join(errors))
	counts["issues"] = _record(day, gateway_name, findings)
	return counts


def compare_payment(row, provider_state: str, provider_fen: int | None) -> Finding | None:
	"""What is wrong between our payment `row` and the provider's trade, or None when they agree."""
	ours_paid = row.status == "Paid"
	provider_paid = provider_state in PROVIDER_PAID
	issue = None
	if ours_paid and provider_state == TradeState.NOT_FOUND:
		issue = MISSING
	elif ours_paid and not provider_paid:
		issue = STATE_DIFFERS
	elif not ours_paid and provider_paid:
		issue = PAID_NOT_HERE
	elif ours_paid and provider_paid and provider_fen != row.amount_fen:
		issue = AMOUNT_DIFFERS
	if not issue:
		return None
	return Finding(
		issue,
		"HS Payment",
		row.name,
		row.out_trade_no,
		row.booking,
		row.status,
		row.amount_fen,
		provider_state,
		provider_fen,
	)


def compare_refund(row, provider_state: str, provider_fen: int | None) -> Finding | None:
	"""What is wrong between our refund `row` and the provider's answer, or None when they agree."""
	ours = REFUND_STATES[row.status]
	issue = None
	if ours != RefundState.FAILED and provider_state == RefundState.FAILED:
		issue = MISSING  # the provider holds no refund that moved money
	elif ours != provider_state:
		issue = STATE_DIFFERS
	elif ours == RefundState.SUCCESS and provider_fen is not None and provider_fen != row.amount_fen:
		issue = AMOUNT_DIFFERS
	if not issue:
		return None
	return Finding(
		issue,
		"HS Refund",
		row.name,
		row.out_refund_no,
		row.booking,
		row.status,
		row.amount_fen,
		provider_state,
		provider_fen,
	)


def _record(day, gateway_name: str, findings: list[Finding]) -> int:
	frappe.db.delete(ITEM, {"reconciliation_date": day, "gateway": gateway_name, "resolved": 0})
	resolved = {
		(r.reference_name, r.issue)
		for r in frappe.get_all(
			ITEM,
			filters={"reconciliation_date": day, "gateway": gateway_name, "resolved": 1},
			fields=["reference_name", "issue"],
		)
	}
	recorded = 0
	for f in findings:
		if (f.reference_name, f.issue) in resolved:
			continue
		frappe.get_doc(
			{
				"doctype": ITEM,
				"reconciliation_date": day,
				"gateway": gateway_name,
				"issue": f.issue,
				"reference_type": f.reference_type,
				"reference_name": f.reference_name,
				"reference_no": f.reference_no,
				"booking": f.booking,
				"our_state": f.our_state,
				"our_amount_fen": f.our_amount_fen,
				"our_amount": _yuan(f.our_amount_fen),
				"provider_state": f.provider_state,
				"provider_amount_fen": f.provider_amount_fen,
				"provider_amount": _yuan(f.provider_amount_fen),
			}
		).insert(ignore_permissions=True)
		recorded += 1
	return recorded


def _payments_of(day) -> list:
	return frappe.get_all(
		"HS Payment",
		filters={"creation": ["between", _day_span(day)], "gateway": ["is", "set"]},
		fields=["name", "booking", "gateway", "status", "out_trade_no", "amount_fen"],
		order_by="creation",
	)


def _refunds_of(day) -> list:
	refund = frappe.qb.DocType("HS Refund")
	payment = frappe.qb.DocType("HS Payment")
	start, end = _day_span(day)
	return (
		frappe.qb.from_(refund)
		.join(payment)
		.on(payment.name == refund.payment)
		.select(
			refund.name,
			refund.booking,
			refund.status,
			refund.amount_fen,
			refund.out_refund_no,
			payment.gateway,
			payment.out_trade_no,
			payment.amount_fen.as_("payment_amount_fen"),
		)
		.where(refund.creation.between(start, end))
		.where(refund.status.isin(SUBMITTED_REFUNDS))
		.where(refund.out_refund_no.isnotnull())
		.orderby(refund.creation)
	).run(as_dict=True)


def _day_span(day) -> tuple[str, str]:
	return (f"{day} 00:00:00", f"{day} 23:59:59.999999")


def _yuan(fen: int | None):
	return None if fen is None else money(Decimal(fen) / 100)


def mark_resolved(doc) -> None:
	"""Stamp who resolved an item (called from the controller when `resolved` is ticked)."""
	doc.resolved_by = frappe.session.user
	doc.resolved_on = now_datetime()
