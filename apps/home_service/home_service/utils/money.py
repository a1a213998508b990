"""Exact money: Decimal rounded half-up to the fen. Never sum floats."""

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
	"""Any number (or numeric string) as an exact amount in yuan, rounded to the fen."""
	if value is None or value == "":
		return ZERO
	if not isinstance(value, Decimal):
		value = Decimal(str(value))
	return value.quantize(FEN, rounding=ROUND_HALF_UP)


def percent_of(base: Decimal, percent) -> Decimal:
	return money(Decimal(base) * Decimal(str(percent or 0)) / Decimal(100))


def to_fen(value) -> int:
	return int(money(value) * 100)
