"""Per-client rate limits for guest methods that do not punish a client for our failures.

Frappe's @rate_limit (frappe.rate_limiter) counts every call before the method runs. After an outage
that turns against clients that did nothing wrong:
- a call that failed on our side (MariaDB away, a bug: any 5xx) still counts, so a client that
  retried as told while the database restarted finds itself refused once it is back;
- a refused call counts too, so a client that retries on 429 stays refused for as long as it retries;
- the counter is read, created with its lifetime and incremented in three commands: when it expires,
  or Redis restarts, between them, INCR makes a counter that never expires, and the client is refused
  for good once it reaches the limit.

`rate_limit` here takes the same arguments and counts under the same key (the method, `cmd`, and the
client address, see access/client_ip.py), but counts in one transaction that gives a new counter its
lifetime (and one found without a lifetime gets it), and gives the count back when the call is
refused or fails on our side. A client's own mistakes (4xx) still count.
"""

import functools
from collections.abc import Callable

import frappe
from frappe import _

Limit = int | Callable[[], int]


def rate_limit(limit: Limit = 5, seconds: int = 24 * 60 * 60):
	"""At most `limit` calls (a number, or a function returning one) per `seconds` per method and
	client address; the next are refused with frappe.RateLimitExceededError (429)."""

	def decorate(fn):
		@functools.wraps(fn)
		def limited(*args, **kwargs):
			if not frappe.request:  # not an HTTP call (a job, the console)
				return fn(*args, **kwargs)
			key = counter_key()
			if count(key, seconds) > (limit() if callable(limit) else limit):
				give_back(key)
				frappe.throw(
					_("You hit the rate limit because of too many requests. Please try after sometime."),
					frappe.RateLimitExceededError,
				)
			try:
				return fn(*args, **kwargs)
			except Exception as e:
				if getattr(e, "http_status_code", 500) >= 500:
					give_back(key)
				raise

		return limited

	return decorate


def counter_key() -> str:
	return frappe.cache.make_key(f"rl:{frappe.form_dict.cmd}:{frappe.local.request_ip}")


def count(key: str, seconds: int) -> int:
	"""Count this call; the calls counted in the current window, this one included."""
	pipe = frappe.cache.pipeline()  # MULTI … EXEC: no other command runs between these
	pipe.set(key, 0, ex=seconds, nx=True)
	pipe.incr(key)
	pipe.ttl(key)
	_created, calls, ttl = pipe.execute()
	if ttl == -1:  # made by another client's INCR without a lifetime (Frappe's limiter, see above)
		frappe.cache.expire(key, seconds)
	return calls


def give_back(key: str) -> None:
	"""Uncount this call (Redis may be the reason it failed: then there is nothing to give back). Had
	the counter just expired, DECR makes one of -1 without a lifetime: the next count() gives it one."""
	try:
		frappe.cache.decr(key)
	except Exception:
		frappe.logger("home_service").debug(f"rate limit {key}: count not given back", exc_info=True)
