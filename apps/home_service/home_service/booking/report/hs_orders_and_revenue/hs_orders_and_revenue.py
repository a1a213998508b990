"""Orders and revenue of bookings created in a date range, grouped by day, month, service category,
service area (district) or acquisition channel.

GMV is the grand total of the bookings that were paid; net revenue is what was collected minus what
was refunded. Amounts are summed by the database on Currency columns and returned as exact Decimals.
"""

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Date, DateFormat, Sum

from home_service.utils.money import money
from home_service.utils.reports import choice, date_range, day_bounds

GROUPS = ("Day", "Month", "Service Category", "Service Area", "Source Channel")


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = choice(filters, "group_by", GROUPS, "Day")
	rows = get_data(filters, group_by)
	columns = get_columns(group_by)
	chart = {
		"data": {
			"labels": [row.group_value or _("Not Set") for row in rows],
			"datasets": [{"name": _("GMV"), "values": [row.gmv for row in rows]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
	summary = [
		{"label": _("Order Count"), "value": sum(r.orders for r in rows), "datatype": "Int"},
		{"label": _("Paid Orders"), "value": sum(r.paid_orders for r in rows), "datatype": "Int"},
		{"label": _("GMV"), "value": sum((r.gmv for r in rows), money(0)), "datatype": "Currency"},
		{
			"label": _("Net Revenue"),
			"value": sum((r.net_revenue for r in rows), money(0)),
			"datatype": "Currency",
		},
	]
	return columns, rows, None, chart, summary


def get_columns(group_by: str) -> list[dict]:
	key = {
		"Day": {"label": _("Order Date"), "fieldtype": "Date", "width": 110},
		"Month": {"label": _("Order Month"), "fieldtype": "Data", "width": 100},
		"Service Category": {
			"label": _("Service Category"),
			"fieldtype": "Link",
			"options": "HS Service Category",
			"width": 160,
		},
		"Service Area": {"label": _("Service Area"), "fieldtype": "Link", "options": "HS Service Area"},
		"Source Channel": {"label": _("Source Channel"), "fieldtype": "Data", "width": 160},
	}[group_by]
	columns = [{"fieldname": "group_value", **key}]
	if group_by == "Service Area":
		columns.append({"fieldname": "district", "label": _("District"), "fieldtype": "Data", "width": 110})
	columns += [
		{"fieldname": "orders", "label": _("Order Count"), "fieldtype": "Int", "width": 90},
		{"fieldname": "paid_orders", "label": _("Paid Orders"), "fieldtype": "Int", "width": 100},
		{"fieldname": "gmv", "label": _("GMV"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "paid_amount", "label": _("Amount Collected"), "fieldtype": "Currency", "width": 130},
		{"fieldname": "refunded_amount", "label": _("Refunded"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "net_revenue", "label": _("Net Revenue"), "fieldtype": "Currency", "width": 130},
		{
			"fieldname": "average_order_value",
			"label": _("Average Order Value"),
			"fieldtype": "Currency",
			"width": 130,
		},
	]
	return columns


def get_data(filters, group_by: str) -> list:
	booking = frappe.qb.DocType("HS Booking")
	from_date, to_date = date_range(filters)
	key = {
		"Day": Date(booking.creation),
		"Month": DateFormat(booking.creation, "%Y-%m"),
		"Service Category": booking.service_category,
		"Service Area": booking.service_area,
		"Source Channel": booking.source_channel,
	}[group_by]
	paid = booking.paid_on.isnotnull()
	query = (
		frappe.qb.from_(booking)
		.select(
			key.as_("group_value"),
			Count(booking.name).as_("orders"),
			Sum(Case().when(paid, 1).else_(0)).as_("paid_orders"),
			Sum(Case().when(paid, booking.grand_total).else_(0)).as_("gmv"),
			Sum(booking.paid_amount).as_("paid_amount"),
			Sum(booking.refunded_amount).as_("refunded_amount"),
		)
		.where(booking.creation.between(*day_bounds(from_date, to_date)))
		.groupby(key)
		.orderby(key)
	)
	for field in ("service_category", "service_area", "source_channel"):
		if filters.get(field):
			query = query.where(booking[field] == filters[field])
	rows = query.run(as_dict=True)
	districts = {}
	if group_by == "Service Area":
		districts = dict(
			frappe.get_all(
				"HS Service Area",
				filters={"name": ["in", [r.group_value for r in rows if r.group_value]]},
				fields=["name", "district"],
				as_list=True,
			)
		)
	for row in rows:
		row.paid_orders = int(row.paid_orders or 0)
		for field in ("gmv", "paid_amount", "refunded_amount"):
			row[field] = money(row[field])
		row.net_revenue = row.paid_amount - row.refunded_amount
		row.average_order_value = money(row.gmv / row.paid_orders) if row.paid_orders else None
		if group_by == "Service Area":
			row.district = districts.get(row.group_value)
	return rows
