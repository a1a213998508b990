"""Scheduled money work, idempotent and driven by database state: recover payments whose
notification never came, retry refunds with their original keys, send and re-check recycling
transfers, close superseded orders."""

import frappe
from frappe.utils import add_to_date, now_datetime

from home_service.billing.gateways import get_gateway
from home_service.billing.gateways.base import GatewayError, TradeState
from home_service.billing.payments import apply_trade
from home_service.billing.refunds import MAX_ATTEMPTS, submit_refund
from home_service.utils.batch import each_isolated

QUERY_AFTER_MINUTES = 1  # give the notification a head start
QUERY_FOR_HOURS = 24


def follow_up_payments_refunds_transfers() -> None:
	"""Every minute (its own Scheduled Job Type name: see dispatch/jobs.py)."""
	from home_service.billing.recycling_payouts import retry_transfers

	recover_payments()
	retry_refunds()
	retry_transfers()


def recover_payments(limit: int = 100) -> int:
	now = now_datetime()
	rows = frappe.get_all(
		"HS Payment",
		filters={
			"status": "Created",
			"creation": (
				"between",
				[add_to_date(now, hours=-QUERY_FOR_HOURS), add_to_date(now, minutes=-QUERY_AFTER_MINUTES)],
			),
		},
		or_filters=[
			["last_queried_on", "is", "not set"],
			["last_queried_on", "<", add_to_date(now, minutes=-1)],
		],
		pluck="name",
		limit=limit,
		order_by="creation asc",
	)
	for name in rows:
		each_isolated(recover_payment, name)
	return len(rows)


def recover_payment(name: str) -> str:
	payment = frappe.db.get_value(
		"HS Payment", name, ["gateway", "out_trade_no", "status", "expires_on"], as_dict=True
	)
	if payment.status != "Created":
		return payment.status
	try:
		trade = get_gateway(payment.gateway).query_order(payment.out_trade_no)
	except GatewayError:
		return "Unreachable"
	frappe.db.set_value("HS Payment", name, "last_queried_on", now_datetime())
	if trade.state == TradeState.PAID:
		return apply_trade(payment.gateway, trade, source="query job").result
	if (
		trade.state in (TradeState.CLOSED, TradeState.NOT_FOUND)
		and payment.expires_on
		and payment.expires_on < now_datetime()
	):
		frappe.db.set_value("HS Payment", name, "status", "Closed")
		return "Closed"
	return "Pending"


def retry_refunds(limit: int = 50) -> int:
	rows = frappe.get_all(
		"HS Refund",
		filters={
			"status": ("in", ["Processing", "Failed"]),
			"attempts": ("<", MAX_ATTEMPTS),
			"modified": ("<", add_to_date(now_datetime(), minutes=-1)),
		},
		pluck="name",
		limit=limit,
		order_by="modified asc",
	)
	for name in rows:
		each_isolated(submit_refund, name)
	return len(rows)


def close_payment(payment: str) -> None:
	"""Close a superseded or abandoned order at the provider, unless it was paid after all."""
	row = frappe.get_doc("HS Payment", payment)
	if row.status != "Created":
		return
	gateway = get_gateway(row.gateway)
	trade = gateway.query_order(row.out_trade_no)
	if trade.state == TradeState.PAID:
		apply_trade(row.gateway, trade, source="close job")
		return
	if trade.state != TradeState.NOT_FOUND:
		gateway.close_order(row.out_trade_no)
	row.db_set("status", "Closed")
