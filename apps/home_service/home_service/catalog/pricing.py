"""One function prices a booking: items × spec price, price rules, minimum charge.

Every line is rounded to the fen on its own and totals are sums of rounded lines, so the
breakdown a customer reads always adds up to the amount they pay.
"""

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime, time
from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import get_datetime, getdate, to_timedelta

from home_service.catalog.pricing_models import PricedLine, raise_pricing_error
from home_service.utils import extensions
from home_service.utils.geo import haversine_km
from home_service.utils.money import ZERO, money, percent_of

SURCHARGE_TYPES = ("Night Surcharge", "Peak Surcharge", "Holiday Surcharge")
RULES_CACHE_KEY = "hs_active_price_rules"


@dataclass
class Charge:
	charge_type: str
	description: str
	amount: Decimal


@dataclass
class Quote:
	lines: list[PricedLine]
	charges: list[Charge] = field(default_factory=list)
	items_total: Decimal = ZERO
	surcharge_total: Decimal = ZERO
	grand_total: Decimal = ZERO
	duration_minutes: int = 0
	payout_estimate: Decimal = ZERO

	def as_dict(self) -> dict:
		"""JSON-friendly: amounts as strings with two decimals, as a customer reads them."""

		def fmt(value):
			if isinstance(value, Decimal):
				return f"{value:.2f}"
			if isinstance(value, dict):
				return {k: fmt(v) for k, v in value.items()}
			if isinstance(value, list):
				return [fmt(v) for v in value]
			return value

		data = fmt(asdict(self))
		data["currency"] = "CNY"
		return data


def compute_quote(
	items: list[dict],
	window_start: datetime | str,
	service_area: str | None = None,
	latitude: float | None = None,
	longitude: float | None = None,
) -> Quote:
	"""Price `items` ([{service_item, spec, quantity}]) for a visit starting at `window_start`."""
	if not items:
		raise_pricing_error(_("Choose at least one service."))
	start = get_datetime(window_start)
	lines = [price_line(row) for row in items]
	quote = Quote(lines=lines)
	quote.charges = [Charge(line.charge_type, line.description, line.amount) for line in lines]
	quote.items_total = sum((line.amount for line in lines), ZERO)
	quote.duration_minutes = sum(line.duration_minutes for line in lines)
	quote.payout_estimate = sum((line.payout_estimate for line in lines), ZERO)

	rules = applicable_rules(lines, service_area)
	for rule in rules:
		if rule.rule_type in SURCHARGE_TYPES and rule_applies_at(rule, start):
			add_surcharge(quote, rule)
	for rule in rules:
		if rule.rule_type == "Distance Fee":
			add_distance_fee(quote, rule, service_area, latitude, longitude)
	apply_minimum_charge(quote, [r for r in rules if r.rule_type == "Minimum Charge"])

	quote.surcharge_total = sum((c.amount for c in quote.charges), ZERO) - quote.items_total
	quote.grand_total = sum((c.amount for c in quote.charges), ZERO)
	return quote


def price_line(row: dict) -> PricedLine:
	code = row.get("service_item")
	item = None
	if code and isinstance(code, str):
		try:
			item = frappe.get_cached_doc("HS Service Item", code)
		except frappe.DoesNotExistError:
			frappe.clear_last_message()
	if not item:
		raise_pricing_error(_("Unknown service item {0}.").format(frappe.bold(str(code))))
	if not item.is_active:
		raise_pricing_error(_("{0} is not available at the moment.").format(item.item_name))
	if item.pricing_model not in extensions.names("hs_pricing_models"):
		raise_pricing_error(_("Pricing model {0} is not installed.").format(item.pricing_model))
	model = extensions.resolve("hs_pricing_models", item.pricing_model)
	return model(item, row.get("spec"), row.get("quantity"))


def applicable_rules(lines: list[PricedLine], service_area: str | None) -> list:
	return [r for r in active_rules() if not r.service_area or r.service_area == service_area]


def active_rules() -> list:
	"""Every active price rule, from the cache: every quote and booking reads them and they seldom
	change (an HS Price Rule that changes forgets them, and again when its transaction ends)."""
	return frappe.cache.get_value(RULES_CACHE_KEY, generator=read_active_rules)


def read_active_rules() -> list:
	rule = DocType("HS Price Rule")
	return (
		frappe.qb.from_(rule)
		.select("*")
		.where(rule.is_active == 1)
		.orderby(rule.rule_type)
		.orderby(rule.rule_name)
		.run(as_dict=True)
	)


def forget_price_rules() -> None:
	frappe.cache.delete_value(RULES_CACHE_KEY)


def lines_in_scope(quote: Quote, rule) -> list[PricedLine]:
	payable = [line for line in quote.lines if line.amount > 0]
	if not rule.category:
		return payable
	return [line for line in payable if category_within(line.category, rule.category)]


def category_within(category: str, ancestor: str) -> bool:
	if category == ancestor:
		return True
	bounds = frappe.get_cached_value("HS Service Category", ancestor, ["lft", "rgt"])
	own = frappe.get_cached_value("HS Service Category", category, ["lft", "rgt"])
	return bool(bounds and own and bounds[0] < own[0] and own[1] < bounds[1])


def rule_applies_at(rule, start: datetime) -> bool:
	if rule.rule_type == "Night Surcharge":
		return time_in_period(start.time(), rule.start_time, rule.end_time)
	return bool(
		rule.from_date and rule.to_date and getdate(rule.from_date) <= start.date() <= getdate(rule.to_date)
	)


def time_in_period(moment: time, start, end) -> bool:
	"""[start, end); a period whose end is not after its start runs past midnight."""
	seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
	begin = int(to_timedelta(start).total_seconds())
	finish = int(to_timedelta(end).total_seconds())
	if begin < finish:
		return begin <= seconds < finish
	return seconds >= begin or seconds < finish


def add_surcharge(quote: Quote, rule) -> None:
	scope = lines_in_scope(quote, rule)
	if not scope:
		return
	if rule.adjustment_type == "Fixed Amount":
		amount = money(rule.amount)
		description = _(rule.rule_name)
	else:
		base = sum((line.amount for line in scope), ZERO)
		amount = percent_of(base, rule.percent)
		description = _("{0} ({1}% of ¥{2})").format(_(rule.rule_name), _fmt_percent(rule.percent), base)
	if amount > 0:
		quote.charges.append(Charge(rule.rule_type, description, amount))


def add_distance_fee(quote: Quote, rule, service_area, latitude, longitude) -> None:
	if not lines_in_scope(quote, rule) or not service_area or latitude is None or longitude is None:
		return
	centre = frappe.get_cached_value("HS Service Area", service_area, ["center_latitude", "center_longitude"])
	if not centre:
		return
	distance = haversine_km(centre[0], centre[1], float(latitude), float(longitude))
	billable_km = math.ceil(max(0.0, distance - float(rule.free_distance_km or 0)) - 1e-9)
	if billable_km <= 0:
		return
	amount = money(money(rule.fee_per_km) * billable_km)
	quote.charges.append(
		Charge(
			"Distance Fee",
			_("Distance fee: {0} km beyond {1} km at ¥{2}/km").format(
				billable_km, _fmt_percent(rule.free_distance_km or 0), money(rule.fee_per_km)
			),
			amount,
		)
	)


def apply_minimum_charge(quote: Quote, rules: list) -> None:
	scoped = [r for r in rules if lines_in_scope(quote, r)]
	if not scoped:
		return
	minimum = max(money(r.minimum_amount) for r in scoped)
	subtotal = sum((c.amount for c in quote.charges), ZERO)
	if subtotal < minimum:
		quote.charges.append(
			Charge(
				"Minimum Charge",
				_("Minimum order ¥{0}: top-up").format(minimum),
				minimum - subtotal,
			)
		)


def _fmt_percent(value) -> str:
	number = Decimal(str(value or 0)).normalize()
	return f"{number:f}"
