"""Provider idempotency keys (out_trade_no, out_refund_no, out_bill_no), minted before any call.

26 characters of [0-9A-Z]: a prefix, the UTC time to the second and 10 random hex digits, so keys
are unique across sites that share a merchant account and sort by time in provider statements.
"""

import secrets
from datetime import datetime, timezone


def mint(prefix: str) -> str:
	stamp = datetime.now(timezone.utc).strftime("%y%m%d%H%M%S")
	return f"{prefix}{stamp}{secrets.token_hex(5).upper()}"
