"""Database helpers for writes that contend for the same rows."""

import random
import time

import frappe

# set on frappe.local while utils/db_retry.run_as_unit runs an endpoint: the whole request is the unit
UNIT_OF_WORK = "hs_unit_of_work"


def retry_on_deadlock(fn, *args, attempts: int = 5, **kwargs):
	"""Run a whole unit of work again when InnoDB picks it as a deadlock victim.

	Lock ordering keeps deadlocks rare, but gap locks taken by locking reads can still cross with
	inserts under load; the documented remedy is to roll back and retry the transaction. Inside an
	endpoint the request is that unit (utils/db_retry.py): `fn` runs once and a deadlock goes up to it,
	since the rollback also undoes what the request wrote before calling `fn`.
	"""
	if getattr(frappe.local, UNIT_OF_WORK, None):
		return fn(*args, **kwargs)
	for attempt in range(1, attempts + 1):
		try:
			return fn(*args, **kwargs)
		except Exception as e:
			if attempt == attempts or not transaction_lost(e):
				raise
			frappe.db.rollback()
			time.sleep(random.uniform(0.01, 0.05) * attempt)


def transaction_lost(exc: BaseException) -> bool:
	"""True when InnoDB has rolled back the whole transaction (a deadlock victim): savepoints are gone
	and the work must be retried from the start, never swallowed by a broad `except`."""
	# frappe.db.sql wraps the driver's error: QueryDeadlockError(args=(pymysql error,)), so
	# frappe.db.is_deadlocked() (which reads args[0] == 1213) only recognises the unwrapped one
	if isinstance(exc, frappe.QueryDeadlockError):
		return True
	args = getattr(exc, "args", None) or (None,)
	return args[0] == 1213 or (isinstance(args[0], Exception) and transaction_lost(args[0]))


def rollback_to(savepoint: str, error: BaseException) -> None:
	"""Undo to `savepoint` after `error`; if the whole transaction is already gone, leave it to the caller
	(which re-raises `error`) instead of failing with "SAVEPOINT does not exist"."""
	if transaction_lost(error):
		return
	try:
		frappe.db.rollback(save_point=savepoint)
	except Exception as e:
		if not (getattr(e, "args", None) and e.args[0] == 1305):  # ER_SP_DOES_NOT_EXIST
			raise
