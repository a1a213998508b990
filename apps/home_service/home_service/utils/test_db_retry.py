# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

"""The unit of work every endpoint runs as (utils/db_retry.py): deadlock victims run again from a clean
slate, a bounded number of times, never after a provider call; what is left answers 503."""

from unittest.mock import patch

import pymysql

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.utils.db import retry_on_deadlock
from home_service.utils.db_retry import (
	ATTEMPTS,
	BACKOFF_SECONDS,
	TryAgainError,
	outside_effect,
	reused_on_retry,
	run_as_unit,
)


def deadlock() -> frappe.QueryDeadlockError:
	"""What frappe.db.sql raises when MariaDB picked this transaction as the victim."""
	return frappe.QueryDeadlockError(pymysql.err.OperationalError(1213, "Deadlock found"))


class Flaky:
	"""A unit of work that deadlocks the first `failures` times it runs."""

	def __init__(self, failures: int, before=None):
		self.failures, self.before, self.runs = failures, before, 0

	def __call__(self, value="done"):
		self.runs += 1
		if self.before:
			self.before(self.runs)
		if self.runs <= self.failures:
			raise deadlock()
		return value


class TestRunAsUnit(FrappeTestCase):
	def setUp(self):
		sleep = patch("home_service.utils.db_retry.time.sleep")
		self.sleep = sleep.start()
		self.addCleanup(sleep.stop)
		log = patch("frappe.log_error")  # a give-up logs one clean row; not into the test site
		self.log_error = log.start()
		self.addCleanup(log.stop)

	def test_a_deadlock_victim_runs_again_until_it_succeeds(self):
		work = Flaky(failures=2)
		self.assertEqual(run_as_unit(work, value="paid"), "paid")
		self.assertEqual(work.runs, 3)
		self.assertEqual(self.sleep.call_count, 2)
		for attempt, call in enumerate(self.sleep.call_args_list, start=1):  # jittered, bounded backoff
			self.assertTrue(0 <= call.args[0] <= BACKOFF_SECONDS * 2 ** (attempt - 1))
		self.log_error.assert_not_called()

	def test_one_that_always_deadlocks_ends_in_503_after_the_last_attempt(self):
		work = Flaky(failures=ATTEMPTS + 5)
		with self.assertRaises(TryAgainError) as raised:
			run_as_unit(work)
		self.assertEqual(work.runs, ATTEMPTS)
		self.assertEqual(raised.exception.http_status_code, 503)
		self.assertGreater(TryAgainError.retry_after, 0)
		self.assertIn("Flaky", self.log_error.call_args.kwargs["title"])
		self.assertIn("QueryDeadlockError", self.log_error.call_args.kwargs["message"])

	def test_other_errors_are_not_retried(self):
		for error in (ValueError("bug"), frappe.ValidationError("refused"), frappe.DuplicateEntryError()):
			runs = []

			def work(error=error, runs=runs):
				runs.append(1)
				raise error

			with self.subTest(error=type(error).__name__), self.assertRaises(type(error)):
				run_as_unit(work)
			self.assertEqual(len(runs), 1)
		self.sleep.assert_not_called()

	def test_a_lock_wait_timeout_answers_503_at_once(self):
		runs = []

		def work():
			runs.append(1)
			raise frappe.QueryTimeoutError(pymysql.err.OperationalError(1205, "Lock wait timeout"))

		with self.assertRaises(TryAgainError):
			run_as_unit(work)
		self.assertEqual(len(runs), 1)

	def test_no_run_again_after_a_provider_was_called(self):
		work = Flaky(failures=1, before=lambda run: outside_effect("WeChat Pay jsapi order"))
		with self.assertRaises(TryAgainError):
			run_as_unit(work)
		self.assertEqual(work.runs, 1)
		self.assertIn("WeChat Pay jsapi order", self.log_error.call_args.kwargs["title"])

	def test_a_reused_provider_answer_is_not_asked_for_twice(self):
		asked = []

		def code2session(code):
			outside_effect("WeChat jscode2session")  # what request_json says for every call
			asked.append(code)
			return f"session for {code}"

		sessions = []
		work = Flaky(
			failures=2, before=lambda run: sessions.append(reused_on_retry("c1", code2session, "c1"))
		)
		run_as_unit(work)
		self.assertEqual((work.runs, asked), (3, ["c1"]))
		self.assertEqual(sessions, ["session for c1"] * 3)
		self.assertEqual(reused_on_retry("c1", code2session, "c1"), "session for c1")  # outside a unit
		self.assertEqual(len(asked), 2)

	def test_each_run_starts_from_the_state_before_the_first(self):
		frappe.flags.hs_test_kept = "kept"
		messages = len(frappe.local.message_log)
		seen = []

		def work_attempt(run):
			seen.append(
				(
					frappe.flags.get("hs_test_written"),
					len(frappe.local.message_log),
					frappe.flags.hs_test_kept,
				)
			)
			frappe.flags.hs_test_written = run
			frappe.msgprint(f"attempt {run}")
			frappe.local.cache["hs_test"] = run
			if run == 1:
				todo = frappe.get_doc({"doctype": "ToDo", "description": "hs retry test"}).insert()
				self.written = todo.name

		run_as_unit(Flaky(failures=1, before=work_attempt))
		self.assertEqual(seen, [(None, messages, "kept"), (None, messages, "kept")])
		self.assertFalse(frappe.db.exists("ToDo", self.written))  # the first run's write was rolled back
		self.assertEqual(frappe.local.cache.get("hs_test"), 2)
		frappe.flags.pop("hs_test_kept")

	def test_inner_retries_leave_the_run_again_to_the_unit(self):
		inner = Flaky(failures=1)
		outer_runs = []

		def endpoint():
			outer_runs.append(1)
			return retry_on_deadlock(inner)  # outside an endpoint this would retry only `inner`

		self.assertEqual(run_as_unit(endpoint), "done")
		self.assertEqual((len(outer_runs), inner.runs), (2, 2))

	def test_a_unit_inside_a_unit_is_retried_once_by_the_outer_one(self):
		inner = Flaky(failures=1)
		outer_runs = []

		def endpoint():
			outer_runs.append(1)
			return run_as_unit(inner)

		self.assertEqual(run_as_unit(endpoint), "done")
		self.assertEqual((len(outer_runs), inner.runs), (2, 2))
