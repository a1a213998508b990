"""Coupon cost and return per coupon template over a date range.

- Issued: coupons handed out in the range (issued_on).
- Used: coupons consumed by a paid booking in the range (status Used, used_on).
- Cost: the discount those used coupons gave.
- Return: the GMV (grand total) of the bookings that used them.
- Return per yuan: return / cost.
"""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum

from home_service.utils.money import money
from home_service.utils.reports import date_range, day_bounds, percent, ratio


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_data(filters)
	cost = sum((r.cost for r in rows), money(0))
	gmv = sum((r.gmv for r in rows), money(0))
	summary = [
		{"label": _("Coupon Cost"), "value": cost, "datatype": "Currency"},
		{"label": _("GMV with Coupons"), "value": gmv, "datatype": "Currency"},
		{"label": _("Return per Yuan"), "value": ratio(gmv, cost), "datatype": "Float"},
	]
	chart = {
		"data": {
			"labels": [r.template_name or r.template for r in rows],
			"datasets": [
				{"name": _("Coupon Cost"), "values": [r.cost for r in rows]},
				{"name": _("GMV with Coupons"), "values": [r.gmv for r in rows]},
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
	return get_columns(), rows, None, chart, summary


def get_columns() -> list[dict]:
	return [
		{
			"fieldname": "template",
			"label": _("Coupon Template"),
			"fieldtype": "Link",
			"options": "HS Coupon Template",
			"width": 140,
		},
		{"fieldname": "template_name", "label": _("Coupon Name"), "fieldtype": "Data", "width": 160},
		{"fieldname": "issued", "label": _("Coupons Issued"), "fieldtype": "Int", "width": 90},
		{"fieldname": "used", "label": _("Coupons Used"), "fieldtype": "Int", "width": 90},
		{"fieldname": "usage_rate", "label": _("Usage Rate"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "cost", "label": _("Coupon Cost"), "fieldtype": "Currency", "width": 120},
		{"fieldname": "gmv", "label": _("GMV with Coupons"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "return_ratio", "label": _("Return per Yuan"), "fieldtype": "Float", "precision": 2},
	]


def get_data(filters) -> list:
	from_date, to_date = date_range(filters)
	span = day_bounds(from_date, to_date)
	coupon = frappe.qb.DocType("HS Customer Coupon")
	booking = frappe.qb.DocType("HS Booking")
	rows: dict[str, frappe._dict] = {}

	def row(template, template_name):
		return rows.setdefault(
			template,
			frappe._dict(
				template=template, template_name=template_name, issued=0, used=0, cost=money(0), gmv=money(0)
			),
		)

	issued = (
		frappe.qb.from_(coupon)
		.select(coupon.template, coupon.template_name, Count(coupon.name).as_("issued"))
		.where(coupon.issued_on.between(*span))
		.groupby(coupon.template, coupon.template_name)
	)
	used = (
		frappe.qb.from_(coupon)
		.left_join(booking)
		.on(booking.name == coupon.booking)
		.select(
			coupon.template,
			coupon.template_name,
			Count(coupon.name).as_("used"),
			Sum(coupon.discount_amount).as_("cost"),
			Sum(booking.grand_total).as_("gmv"),
		)
		.where(coupon.status == "Used")
		.where(coupon.used_on.between(*span))
		.groupby(coupon.template, coupon.template_name)
	)
	if filters.get("template"):
		issued = issued.where(coupon.template == filters.template)
		used = used.where(coupon.template == filters.template)
	for r in issued.run(as_dict=True):
		row(r.template, r.template_name).issued += int(r.issued)
	for r in used.run(as_dict=True):
		target = row(r.template, r.template_name)
		target.used += int(r.used)
		target.cost += money(r.cost)
		target.gmv += money(r.gmv)
	for r in rows.values():
		r.usage_rate = percent(r.used, r.issued)
		r.return_ratio = ratio(r.gmv, r.cost)
	return sorted(rows.values(), key=lambda r: (-r.cost, r.template))
