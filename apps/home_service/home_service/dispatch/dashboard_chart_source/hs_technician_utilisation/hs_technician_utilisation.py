"""Dashboard chart source: booked service time as a share of working time, per technician, for a day
(today unless the chart's Date filter says otherwise), the busiest first (scheduling/utilisation.py)."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from home_service.scheduling.utilisation import utilisation

SHOWN = 20  # the busiest technicians; a bar chart of every technician is unreadable


@frappe.whitelist()
def get(
	chart_name: str | None = None,
	chart: str | dict | None = None,
	no_cache: int | str | None = None,
	filters: str | dict | list | None = None,
	from_date: str | None = None,
	to_date: str | None = None,
	timespan: str | None = None,
	time_interval: str | None = None,
	heatmap_year: str | int | None = None,
	refresh: int | str | None = None,
) -> dict:
	"""The chart widget's call (it passes the arguments of any dashboard chart; only `filters` is used)."""
	frappe.has_permission("HS Technician", "read", throw=True)
	filters = frappe.parse_json(filters) or {}
	if not isinstance(filters, dict):  # the widget sends [] before any filter is set
		filters = {}
	rows = utilisation(getdate(filters.get("date") or nowdate()), filters.get("service_area"))[:SHOWN]
	return {
		"labels": [row.technician_name for row in rows],
		"datasets": [{"name": _("Utilisation (%)"), "values": [row.utilisation for row in rows]}],
	}
