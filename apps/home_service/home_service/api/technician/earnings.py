"""My earnings: ledger balances (pending, available, in payout, total earned) and this/last month.

Balances are sums of the billing ledger (billing/earnings.py): `pending` is earned but still inside
the settlement delay, `available` can be withdrawn, `in_payout` is in withdrawals not final yet,
`total_earned` adds what was paid out. The months count the bookings completed in them with their
gross (what the customer paid plus coupon and points subsidy) and my part of it after commission
and any refund after completion.
"""

from datetime import date
from decimal import Decimal

import frappe
from frappe.query_builder.functions import Count, Sum
from frappe.utils import add_months, get_first_day, getdate, today

from home_service.api.registry import endpoint
from home_service.api.technician.scope import ROLE, amount, current_technician
from home_service.billing.earnings import balances
from home_service.billing.settings import earnings_settings

TAG = "technician/earnings"
SOURCE = "ledger"


@endpoint(roles=ROLE, tag=TAG)
def earnings_summary() -> dict:
	"""My balances from the ledger, and completed jobs with gross and earned amounts by month."""
	technician = current_technician(approved=False)
	this_month = get_first_day(today())
	last_month = add_months(this_month, -1)
	next_month = add_months(this_month, 1)
	return {
		"technician": technician.name,
		"currency": "CNY",
		"source": SOURCE,
		"balances": {key: yuan(value) for key, value in balances(technician.name).items()},
		"this_month": earnings_between(technician.name, this_month, next_month),
		"last_month": earnings_between(technician.name, last_month, this_month),
		"rules": withdrawal_rules(),
	}


def withdrawal_rules() -> dict:
	"""What the app shows before a withdrawal: the minimum, how many a day, the settlement delay."""
	settings = earnings_settings()
	return {
		"withdrawal_minimum": amount(settings.withdrawal_minimum),
		"withdrawals_per_day": int(settings.withdrawals_per_day or 0),
		"settlement_delay_days": int(settings.settlement_delay_days or 0),
	}


def yuan(fen: int) -> str:
	return amount(Decimal(int(fen)) / 100)


def earnings_between(technician: str, start: date, end: date) -> dict:
	"""Bookings completed by `technician` in [start, end): count, gross and my part (exact)."""
	earning = frappe.qb.DocType("HS Technician Earning")
	jobs, gross, mine, clawed = (
		frappe.qb.from_(earning)
		.select(
			Count(earning.name),
			Sum(earning.gross_fen),
			Sum(earning.technician_fen),
			Sum(earning.clawed_back_fen),
		)
		.where(earning.technician == technician)
		.where(earning.completed_on >= start)
		.where(earning.completed_on < end)
	).run()[0]
	return {
		"from": str(getdate(start)),
		"to": str(getdate(end)),
		"completed_jobs": int(jobs or 0),
		"gross_amount": yuan(gross or 0),
		"earned_amount": yuan((mine or 0) - (clawed or 0)),
	}
