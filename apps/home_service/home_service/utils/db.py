"""Database helpers for writes that contend for the same rows."""

import random
import time

import frappe


def retry_on_deadlock(fn, *args, attempts: int = 5, **kwargs):
	"""Run a whole unit of work again when InnoDB picks it as a deadlock victim.

	Lock ordering keeps deadlocks rare, but gap locks taken by locking reads can still cross with
	inserts under load; the documented remedy is to roll back and retry the transaction.
	"""
	for attempt in range(1, attempts + 1):
		try:
			return fn(*args, **kwargs)
		except Exception as e:
			if attempt == attempts or not frappe.db.is_deadlocked(e):
				raise
			frappe.db.rollback()
			time.sleep(random.uniform(0.01, 0.05) * attempt)
