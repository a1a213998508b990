"""HS Marketing Settings with the defaults the DocType declares, for code that runs before anyone saved it."""

from decimal import Decimal

import frappe

DOCTYPE = "HS Marketing Settings"
DEFAULTS = {
	"points_per_yuan": 1,
	"yuan_per_100_points": Decimal("1"),
	"max_redeem_percent": Decimal("50"),
	"review_points": 10,
	"recycling_points_per_kg": 10,
	"points_validity_days": 365,
}


def get_settings() -> frappe._dict:
	stored = frappe.db.get_singles_dict(DOCTYPE, cast=True)
	values = frappe._dict()
	for key, default in DEFAULTS.items():
		value = stored.get(key)
		if value is None:
			value = default
		values[key] = Decimal(str(value)) if isinstance(default, Decimal) else int(value)
	return values
