"""How one booking line is priced, per pricing model.

Registered in hooks.py under `hs_pricing_models`; a plugin app can add a model (for example a
subscription package) by mapping its name to a function with the same signature.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

import frappe
from frappe import _

from home_service.utils.money import ZERO, money


class PricingError(frappe.ValidationError):
	http_status_code = 422


@dataclass
class PricedLine:
	service_item: str
	item_name: str
	spec: str | None
	quantity: Decimal
	unit: str
	rate: Decimal
	amount: Decimal
	duration_minutes: int
	charge_type: str
	description: str
	category: str
	pricing_model: str
	payout_estimate: Decimal = ZERO  # recycling: what the platform expects to pay the customer


def _spec_row(item, spec: str | None):
	if not item.specs:
		if spec:
			raise_pricing_error(_("{0} has no specification {1}.").format(item.item_name, spec))
		return None
	if spec:
		for row in item.specs:
			if row.spec_name == spec:
				return row
		raise_pricing_error(_("{0} has no specification {1}.").format(item.item_name, spec))
	default = next((row for row in item.specs if row.is_default), None)
	if default is None and len(item.specs) > 1:
		raise_pricing_error(_("Choose a specification for {0}.").format(item.item_name))
	return default or item.specs[0]


def _quantity(item, quantity, whole: bool) -> Decimal:
	try:
		qty = Decimal(str(quantity if quantity not in (None, "") else 1))
	except Exception:
		raise_pricing_error(_("Quantity must be a number."))
	if not qty.is_finite() or qty <= 0:
		raise_pricing_error(_("Quantity must be greater than zero."))
	if whole and qty != qty.to_integral_value():
		raise_pricing_error(_("{0} is sold in whole units.").format(item.item_name))
	if qty > 10000:
		raise_pricing_error(_("Quantity is too large."))
	minimum = Decimal(str(item.min_quantity or 0))
	if qty < minimum:
		raise_pricing_error(
			_("{0} needs at least {1} {2}.").format(item.item_name, _fmt_qty(minimum), item.unit or "")
		)
	return qty


def _fmt_qty(qty: Decimal) -> str:
	"""10 kg, 2.5 kg: never str(Decimal("10").normalize()), which is "1E+1"."""
	return f"{Decimal(qty).normalize():f}"


def _line(item, spec_row, qty, rate, charge_type, duration, payout=ZERO) -> PricedLine:
	label = item.item_name + (f" · {spec_row.spec_name}" if spec_row else "")
	amount = money(rate * qty) if charge_type != "Recycling" else ZERO
	return PricedLine(
		service_item=item.name,
		item_name=item.item_name,
		spec=spec_row.spec_name if spec_row else None,
		quantity=qty,
		unit=item.unit or "",
		rate=money(rate),
		amount=amount,
		duration_minutes=int(duration),
		charge_type=charge_type,
		description=f"{label} × {_fmt_qty(qty)}{item.unit or ''}",
		category=item.category,
		pricing_model=item.pricing_model,
		payout_estimate=payout,
	)


def fixed(item, spec: str | None, quantity) -> PricedLine:
	row = _spec_row(item, spec)
	qty = _quantity(item, quantity, whole=True)
	rate = money(row.price if row else item.base_price)
	duration = (row.duration_minutes if row and row.duration_minutes else item.duration_minutes) * int(qty)
	return _line(item, row, qty, rate, "Service", duration)


def per_unit(item, spec: str | None, quantity) -> PricedLine:
	row = _spec_row(item, spec)
	qty = _quantity(item, quantity, whole=False)
	rate = money(row.price if row else item.base_price)
	per_unit_minutes = row.duration_minutes if row and row.duration_minutes else item.duration_minutes
	return _line(item, row, qty, rate, "Service", math.ceil(per_unit_minutes * qty))


def quote_after_inspection(item, spec: str | None, quantity) -> PricedLine:
	# the visit fee is paid up front; the repair itself is quoted on site as an extra charge
	line = _line(item, None, Decimal(1), money(item.visit_fee), "Visit Fee", item.duration_minutes)
	line.description = _("{0} · visit and inspection").format(item.item_name)
	return line


def recycling(item, spec: str | None, quantity) -> PricedLine:
	row = _spec_row(item, spec)
	qty = _quantity(item, quantity, whole=False)  # estimated kg; the collector weighs on site
	rate = money(row.price if row else item.base_price)
	line = _line(item, row, qty, rate, "Recycling", item.duration_minutes, payout=money(rate * qty))
	line.description = _("{0}: about {1} kg at ¥{2}/kg, paid to you after weighing").format(
		line.description.split(" × ")[0], _fmt_qty(qty), rate
	)
	return line


def raise_pricing_error(message: str) -> None:
	frappe.throw(message, PricingError, title=_("Cannot price this booking"))
