"""Which dispatch rule governs a job, and so how far from the job its technician may start.

HS Dispatch Rule is dispatch's configuration (strategy, offers, scoring), but its search radius also
decides which arrival windows can be offered and which technician a booking may hold: a window that
dispatch would find nobody for must not be sold. So the choice of rule is made here, below booking
and dispatch, and get_slots, the booking's hold and dispatch all use it (scheduling never imports
dispatch).
"""

import frappe
from frappe.utils import flt

from home_service.catalog.pricing import category_within

# the radius of the shipped default rule, used when no HS Dispatch Rule matches
DEFAULT_SEARCH_RADIUS_KM = 15.0


def applicable_rule(service_area: str | None, category: str | None) -> frappe._dict | None:
	"""The enabled rule with the highest priority (then the first by name) whose area is the job's
	(empty: every area) and whose category holds the job's (empty: every category; sub-categories
	match), or None when no rule matches (dispatch then uses its default)."""
	# a plain query: every get_slots and every booking's hold asks, and there are only a few rules
	rules = frappe.db.sql(
		"select * from `tabHS Dispatch Rule` where enabled = 1 order by priority desc, name asc",
		as_dict=True,
	)
	for rule in rules:
		if rule.service_area and rule.service_area != service_area:
			continue
		if rule.category and not (category and category_within(category, rule.category)):
			continue
		return rule
	return None


def search_radius_km(rule) -> float:
	"""How far (km) from the job a technician may start under `rule` (None: the default rule)."""
	radius = flt(rule.search_radius_km) if rule else 0
	return radius if radius > 0 else DEFAULT_SEARCH_RADIUS_KM


def reach_km(service_area: str | None, category: str | None) -> float:
	"""The search radius of the rule that governs a job in this area and category."""
	return search_radius_km(applicable_rule(service_area, category))
