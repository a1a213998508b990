"""A request is one unit of work: when MariaDB picks it as a deadlock victim, all of it runs again.

Every app endpoint runs through `run_as_unit` (api/registry.py). Lock ordering keeps deadlocks rare;
for the victims that remain, InnoDB's documented remedy is to roll the whole transaction back and run
it again. A retry starts clean: Frappe's rollback also drops the attempt's after-commit work (jobs,
realtime events) and the document cache entries it wrote, and the request-local state the attempt
changed is put back as it was (frappe.flags, messages for the client, the response, the request's
local cache and frappe.db's value cache).

A retry is safe only when the attempt did nothing outside the database. Outbound provider calls say
so through `outside_effect()` (integrations/base.py, the payment gateways); a deadlock after one is not
retried. A call whose answer stays true for the request — a single-use login code exchanged for an
identity — goes through `reused_on_retry()`: a retry gets the first answer instead of calling again.

Bounded: ATTEMPTS runs with jittered backoff. After the last one, after an outside effect, or when a
lock wait timed out (already ~50 s spent), the client gets 503 with Retry-After in the API's error
shape (api/errors.py) and may send the request again; never a 500.
"""

import copy
import random
import time
from dataclasses import dataclass, field

import frappe
from frappe import _

from home_service.utils.db import UNIT_OF_WORK, transaction_lost

ATTEMPTS = 3
BACKOFF_SECONDS = 0.1  # the n-th retry waits a random time up to BACKOFF_SECONDS * 2**(n - 1)
RETRY_AFTER_SECONDS = 2


class TryAgainError(frappe.InReadOnlyMode):
	"""503: nothing was saved and the same request may simply be sent again.

	Frappe's "temporarily not available" class, which it leaves out of its Error Log snapshot: that
	snapshot would hold the request's arguments (a login code); `run_as_unit` logs a clean row itself."""

	retry_after = RETRY_AFTER_SECONDS


@dataclass
class Unit:
	outside_effect: str | None = None  # what this attempt did outside the database, if anything
	reused: dict = field(default_factory=dict)  # answers of reused_on_retry calls, by key
	reusing: int = 0  # > 0 while a reused_on_retry call runs: its provider call is not an effect


def current_unit() -> Unit | None:
	return getattr(frappe.local, UNIT_OF_WORK, None)


def outside_effect(what: str) -> None:
	"""Note that the running attempt is about to do `what` outside the database (a provider call):
	from here on a deadlock ends the request with 503 instead of running it again."""
	unit = current_unit()
	if unit and not unit.reusing and not unit.outside_effect:
		unit.outside_effect = what


def reused_on_retry(key, call, *args, **kwargs):
	"""`call(*args, **kwargs)` once per request: a retry of the unit gets the first answer back. For
	provider calls that cannot be repeated but whose answer stays valid (a single-use code)."""
	unit = current_unit()
	if unit is None:
		return call(*args, **kwargs)
	if key not in unit.reused:
		unit.reusing += 1
		try:
			unit.reused[key] = call(*args, **kwargs)
		finally:
			unit.reusing -= 1
	return unit.reused[key]


def run_as_unit(fn, *args, **kwargs):
	"""`fn(*args, **kwargs)`, run again from scratch (at most ATTEMPTS times) when MariaDB rolled its
	transaction back to break a deadlock; TryAgainError (503) when that cannot or did not help."""
	if current_unit() is not None:  # called from inside another unit: that one retries
		return fn(*args, **kwargs)
	before = RequestState.take()
	unit, failure = Unit(), None
	setattr(frappe.local, UNIT_OF_WORK, unit)
	try:
		for attempt in range(1, ATTEMPTS + 1):
			unit.outside_effect = None
			try:
				return fn(*args, **kwargs)
			except Exception as exc:
				timed_out = isinstance(exc, frappe.QueryTimeoutError)
				if not (timed_out or transaction_lost(exc)):
					raise
				if timed_out or unit.outside_effect or attempt == ATTEMPTS:
					failure = f"{type(exc).__name__} on attempt {attempt}: {exc}"
					break
			frappe.db.rollback()
			before.restore()
			time.sleep(random.uniform(0, BACKOFF_SECONDS * 2 ** (attempt - 1)))
	finally:
		setattr(frappe.local, UNIT_OF_WORK, None)
	_give_up(fn, failure, unit.outside_effect)


def _give_up(fn, failure: str, outside: str | None) -> None:
	"""Log what happened (no arguments: they may hold codes or secrets) and answer 503."""
	name = getattr(fn, "__qualname__", type(fn).__qualname__)
	after = f" after {outside}" if outside else ""
	frappe.log_error(title=f"HS {fn.__module__}.{name}: gave up{after}", message=failure, defer_insert=True)
	frappe.throw(_("The service is busy. Please try again in a moment."), TryAgainError)


@dataclass
class RequestState:
	"""What an attempt may change in frappe.local besides the database, as it was before the first."""

	flags: dict
	response: dict
	messages: int
	debug_messages: int

	@classmethod
	def take(cls) -> "RequestState":
		return cls(
			flags=_copied(frappe.local.flags),
			response=_copied(frappe.local.response),
			messages=len(frappe.local.message_log),
			debug_messages=len(frappe.local.debug_log),
		)

	def restore(self) -> None:
		for target, saved in ((frappe.local.flags, self.flags), (frappe.local.response, self.response)):
			target.clear()
			target.update(_copied(saved))
		del frappe.local.message_log[self.messages :]
		del frappe.local.debug_log[self.debug_messages :]
		frappe.local.cache = {}  # values read during the attempt, some of them from its own writes
		frappe.db.value_cache.clear()


def _copied(values: dict) -> dict:
	"""A copy deep enough that the attempt's changes to lists, dicts and sets inside do not reach it."""
	return {
		key: copy.copy(value) if isinstance(value, list | dict | set) else value
		for key, value in values.items()
	}
