"""Mismatches the daily reconciliation job recorded between our payments/refunds and the providers',
for a date range, plus per gateway: what we hold as paid and what the provider confirmed.

Provider-confirmed total = our paid payments without an open payment mismatch (the provider agreed
with them) + what the provider reported as paid for each open payment mismatch. Resolved items are
listed (unless hidden) but no longer change the totals: resolving means our records now agree.
"""

from decimal import Decimal

import frappe
from frappe import _

from home_service.billing.reconciliation import ITEM, PROVIDER_PAID
from home_service.utils.money import money
from home_service.utils.reports import date_range, day_bounds


def execute(filters=None):
	filters = frappe._dict(filters or {})
	from_date, to_date = date_range(filters, default_days=7)
	items = get_items(filters, from_date, to_date)
	totals = gateway_totals(filters, from_date, to_date)
	summary = []
	for gateway, row in totals.items():
		name = _(gateway, context="HS Payment")
		summary += [
			{"label": _("{0}: Our Paid Total").format(name), "value": row.ours, "datatype": "Currency"},
			{
				"label": _("{0}: Provider Confirmed").format(name),
				"value": row.provider,
				"datatype": "Currency",
				"indicator": "Green" if row.ours == row.provider else "Red",
			},
		]
	return get_columns(), items, None, None, summary


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("Reconciliation Item"),
			"fieldtype": "Link",
			"options": ITEM,
			"width": 150,
		},
		{
			"fieldname": "reconciliation_date",
			"label": _("Reconciliation Date"),
			"fieldtype": "Date",
			"width": 100,
		},
		{"fieldname": "gateway", "label": _("Payment Gateway"), "fieldtype": "Data", "width": 100},
		{"fieldname": "issue", "label": _("Reconciliation Issue"), "fieldtype": "Data", "width": 190},
		{"fieldname": "reference_type", "label": _("Reference Type"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "reference_name",
			"label": _("Reference Document"),
			"fieldtype": "Dynamic Link",
			"options": "reference_type",
			"width": 150,
		},
		{"fieldname": "booking", "label": _("Booking"), "fieldtype": "Link", "options": "HS Booking"},
		{"fieldname": "our_state", "label": _("Our State"), "fieldtype": "Data", "width": 100},
		{"fieldname": "our_amount", "label": _("Our Amount"), "fieldtype": "Currency", "width": 110},
		{"fieldname": "provider_state", "label": _("Provider State"), "fieldtype": "Data", "width": 110},
		{"fieldname": "provider_amount", "label": _("Provider Amount"), "fieldtype": "Currency"},
		{"fieldname": "resolved", "label": _("Resolved"), "fieldtype": "Check", "width": 80},
	]


def get_items(filters, from_date, to_date) -> list:
	conditions = {"reconciliation_date": ["between", [from_date, to_date]]}
	if filters.get("gateway"):
		conditions["gateway"] = filters.gateway
	if filters.get("hide_resolved"):
		conditions["resolved"] = 0
	rows = frappe.get_all(
		ITEM,
		filters=conditions,
		fields=[c["fieldname"] for c in get_columns()],
		order_by="reconciliation_date, gateway, creation",
	)
	for row in rows:
		row.our_amount = None if row.our_amount is None else money(row.our_amount)
		row.provider_amount = None if row.provider_amount is None else money(row.provider_amount)
	return rows


def gateway_totals(filters, from_date, to_date) -> dict:
	payment = frappe.qb.DocType("HS Payment")
	query = (
		frappe.qb.from_(payment)
		.select(payment.gateway, payment.name, payment.amount_fen)
		.where(payment.creation.between(*day_bounds(from_date, to_date)))
		.where(payment.status == "Paid")
	)
	if filters.get("gateway"):
		query = query.where(payment.gateway == filters.gateway)
	ours = query.run(as_dict=True)
	open_items = frappe.get_all(
		ITEM,
		filters={
			"reconciliation_date": ["between", [from_date, to_date]],
			"reference_type": "HS Payment",
			"resolved": 0,
			**({"gateway": filters.gateway} if filters.get("gateway") else {}),
		},
		fields=["gateway", "reference_name", "provider_state", "provider_amount_fen"],
	)
	disputed = {item.reference_name for item in open_items}
	totals: dict[str, frappe._dict] = {}

	def total(gateway):
		return totals.setdefault(gateway, frappe._dict(ours_fen=0, provider_fen=0))

	for row in ours:
		total(row.gateway).ours_fen += row.amount_fen
		if row.name not in disputed:
			total(row.gateway).provider_fen += row.amount_fen
	for item in open_items:
		if item.provider_state in PROVIDER_PAID:
			total(item.gateway).provider_fen += item.provider_amount_fen or 0
	for row in totals.values():
		row.ours = fen_to_yuan(row.ours_fen)
		row.provider = fen_to_yuan(row.provider_fen)
	return dict(sorted(totals.items()))


def fen_to_yuan(fen: int):
	return money(Decimal(int(fen)) / 100)
