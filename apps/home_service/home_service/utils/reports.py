"""Shared pieces of the Script Reports: the date range filter and exact ratios."""

from decimal import ROUND_HALF_UP, Decimal

import frappe
from frappe import _
from frappe.utils import add_days, getdate, nowdate

from home_service.utils.money import money


class ReportFilterError(frappe.ValidationError):
	http_status_code = 422


def date_range(filters: dict, default_days: int = 30):
	"""(from_date, to_date) as dates; the last `default_days` days when not given."""
	to_date = getdate(filters.get("to_date") or nowdate())
	from_date = getdate(filters.get("from_date") or add_days(to_date, -(default_days - 1)))
	if from_date > to_date:
		frappe.throw(_("From Date must not be after To Date."), ReportFilterError, title=_("Invalid Filters"))
	return from_date, to_date


def day_bounds(from_date, to_date) -> tuple[str, str]:
	"""Datetime bounds covering whole days, for Datetime columns."""
	return f"{from_date} 00:00:00", f"{to_date} 23:59:59.999999"


def percent(part, whole) -> Decimal | None:
	"""part / whole as a percentage with 2 decimals, or None when there is nothing to divide by."""
	if not whole:
		return None
	return (Decimal(str(part)) * 100 / Decimal(str(whole))).quantize(Decimal("0.01"), ROUND_HALF_UP)


def ratio(part, whole) -> Decimal | None:
	if not whole:
		return None
	return (money(part) / money(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def choice(filters: dict, key: str, allowed: tuple[str, ...], default: str) -> str:
	value = filters.get(key) or default
	if value not in allowed:
		frappe.throw(
			_("{0} must be one of: {1}").format(_(key.replace("_", " ").title()), ", ".join(allowed)),
			ReportFilterError,
			title=_("Invalid Filters"),
		)
	return value
