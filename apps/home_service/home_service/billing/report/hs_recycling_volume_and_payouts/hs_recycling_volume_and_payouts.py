"""Recycling volume and payouts by waste type for pickups recorded in a date range.

By default only pickups that were paid count (status Paid); the status filter shows what waits in
review or was rejected. Payouts are summed from the lines' integer fen, so totals are exact.
"""

from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum

from home_service.utils.money import money
from home_service.utils.reports import choice, date_range, day_bounds

STATUSES = ("Paid", "Review", "Rejected")
KG = Decimal("0.001")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	summary = [
		{"label": _("Pickups"), "value": count_pickups(filters), "datatype": "Int"},
		{
			"label": _("Weight (kg)"),
			"value": sum((r.weight_kg for r in rows), Decimal(0)),
			"datatype": "Float",
		},
		{"label": _("Payout"), "value": sum((r.payout for r in rows), money(0)), "datatype": "Currency"},
	]
	chart = {
		"data": {
			"labels": [r.waste_type for r in rows],
			"datasets": [{"name": _("Weight (kg)"), "values": [r.weight_kg for r in rows]}],
		},
		"type": "bar",
	}
	return get_columns(), rows, None, chart, summary


def get_columns() -> list[dict]:
	return [
		{"fieldname": "waste_type", "label": _("Waste Type"), "fieldtype": "Data", "width": 140},
		{"fieldname": "pickups", "label": _("Pickups"), "fieldtype": "Int", "width": 90},
		{"fieldname": "weight_kg", "label": _("Weight (kg)"), "fieldtype": "Float", "precision": 3},
		{"fieldname": "payout", "label": _("Payout"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "average_price_per_kg", "label": _("Average Price per kg"), "fieldtype": "Currency"},
	]


def _base(filters):
	pickup = frappe.qb.DocType("HS Recycling Pickup")
	from_date, to_date = date_range(filters)
	status = choice(filters, "status", STATUSES, "Paid")
	return pickup, (pickup.creation.between(*day_bounds(from_date, to_date))) & (pickup.status == status)


def get_data(filters) -> list:
	pickup, condition = _base(filters)
	line = frappe.qb.DocType("HS Recycling Pickup Line")
	query = (
		frappe.qb.from_(line)
		.join(pickup)
		.on((pickup.name == line.parent) & (line.parenttype == "HS Recycling Pickup"))
		.select(
			line.waste_type,
			Count(line.parent).distinct().as_("pickups"),
			Sum(line.weight_kg).as_("weight_kg"),
			Sum(line.amount_fen).as_("payout_fen"),
		)
		.where(condition)
		.groupby(line.waste_type)
		.orderby(line.waste_type)
	)
	rows = query.run(as_dict=True)
	for r in rows:
		r.pickups = int(r.pickups)
		r.weight_kg = Decimal(str(r.weight_kg or 0)).quantize(KG)
		r.payout = money(Decimal(int(r.payout_fen or 0)) / 100)
		r.average_price_per_kg = money(r.payout / r.weight_kg) if r.weight_kg else None
		del r["payout_fen"]
	return rows


def count_pickups(filters) -> int:
	pickup, condition = _base(filters)
	return int(frappe.qb.from_(pickup).select(Count(pickup.name)).where(condition).run()[0][0] or 0)
