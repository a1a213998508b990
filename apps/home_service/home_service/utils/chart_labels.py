# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Dashboard charts grouped by a Select field label their slices in the reader's language.

Frappe's Group By chart (`dashboard_chart.get`) returns the stored values ("Completed", "Cancelled") as
its labels and Desk shows them as they are, so a Chinese operator read an English legend on "Bookings by
Status". This wraps that method (hooks.py `override_whitelisted_methods`): Frappe computes and caches
the data as before (one cache entry for every reader), and each request gets the labels translated as
Desk translates the field's options, with the DocType as context.
"""

import frappe
from frappe import _
from frappe.desk.doctype.dashboard_chart import dashboard_chart


@frappe.whitelist()
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	data = dashboard_chart.get(
		chart_name=chart_name,
		chart=chart,
		no_cache=no_cache,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
		refresh=refresh,
	)
	doctype = select_grouped_doctype(chart_name, chart)
	if not doctype or not isinstance(data, dict) or not data.get("labels"):
		return data
	return {**data, "labels": [_(label, context=doctype) if label else label for label in data["labels"]]}


def select_grouped_doctype(chart_name: str | None, chart) -> str | None:
	"""The chart's DocType when the chart groups it by a Select field, else None."""
	settings = (
		frappe.get_cached_doc("Dashboard Chart", chart_name)
		if chart_name
		else frappe._dict(frappe.parse_json(chart) or {})
	)
	if settings.chart_type != "Group By" or not settings.document_type:
		return None
	field = frappe.get_meta(settings.document_type).get_field(settings.group_by_based_on)
	return settings.document_type if field and field.fieldtype == "Select" else None
