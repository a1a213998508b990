"""What applying a provider's report (a trade, a refund, a transfer) did, for the notification log.

Its own module so that payments, refunds, withdrawals and payouts can all answer with it without
importing each other (payments starts refunds; refunds must not reach back into payments).
"""

from dataclasses import dataclass


@dataclass
class Outcome:
	result: str  # Applied | Duplicate | Review | Ignored
	reason: str = ""
	payment: str | None = None
