"""When the scheduler asks a provider again about a transfer we sent (withdrawals, recycling payouts).

Every minute for the first FAST_ATTEMPTS tries, then every SLOW_MINUTES for as long as the transfer
is open: a WeChat transfer may wait up to a day for the user to accept, and its notification can be
lost. Nothing but the provider ends the checks — a final SUCCESS / FAIL / CANCELLED, which WeChat
also gives an unaccepted bill when it expires — so money never stays pending for good.
"""

import frappe
from frappe.utils import add_to_date, now_datetime

FAST_ATTEMPTS = 20
SLOW_MINUTES = 30


def due_transfers(doctype: str, status_field: str, open_states: tuple, limit: int = 50) -> list[str]:
	"""Rows of `doctype` whose transfer should be sent or queried now, the longest waiting first."""
	now = now_datetime()
	fast = frappe.get_all(
		doctype,
		filters={
			status_field: ("in", open_states),
			"attempts": ("<", FAST_ATTEMPTS),
			"modified": ("<", add_to_date(now, minutes=-1)),
		},
		pluck="name",
		order_by="modified asc",
		limit=limit,
	)
	if len(fast) >= limit:
		return fast
	slow = frappe.get_all(
		doctype,
		filters={status_field: ("in", open_states), "attempts": (">=", FAST_ATTEMPTS)},
		or_filters=[
			["last_queried_on", "is", "not set"],
			["last_queried_on", "<", add_to_date(now, minutes=-SLOW_MINUTES)],
		],
		pluck="name",
		order_by="last_queried_on asc",
		limit=limit - len(fast),
	)
	return fast + slow
