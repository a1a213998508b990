"""When the scheduler asks a provider again about a transfer we sent (withdrawals, recycling payouts).

Every minute for the first FAST_ATTEMPTS tries, then every SLOW_MINUTES for as long as the transfer
is open: a WeChat transfer may wait up to a day for the user to accept, and its notification can be
lost. Nothing but the provider ends the checks — a final SUCCESS / FAIL / CANCELLED, which WeChat
also gives an unaccepted bill when it expires — so money never stays pending for good.
"""

import frappe
from frappe.utils import add_to_date, now_datetime

from home_service.billing.gateways.base import GatewayError

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


def attempt_transfer(
	doctype: str,
	name: str,
	gateway,
	*,
	first_try: bool,
	attempts: int,
	out_bill_no: str,
	send,
	on_error: dict,
):
	"""One attempt at a transfer under its one out_bill_no, recorded on the row.

	The first try sends. Later tries ask the provider about the same key first, since an earlier attempt
	may have reached it, and send again only when it has no such transfer. Returns the provider's
	Transfer, or None when it could not be reached (the row then takes `on_error` and the error)."""
	try:
		if first_try:
			result = send()
		else:
			result = gateway.query_transfer(out_bill_no)
			if result.state == "NOT_FOUND":
				result = send()
	except GatewayError as exc:
		frappe.db.set_value(
			doctype,
			name,
			{"attempts": attempts + 1, "last_error": str(exc), "last_queried_on": now_datetime(), **on_error},
		)
		return None
	frappe.db.set_value(doctype, name, {"attempts": attempts + 1, "last_queried_on": now_datetime()})
	return result
