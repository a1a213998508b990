# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Every `scheduler_events` entry of every installed app has a Scheduled Job Type of its own.

Frappe names a Scheduled Job Type after the last two parts of its method (ScheduledJobType.autoname),
and on a clash its sync deletes the row already there: two methods ending in the same two parts
(dispatch's and billing's `jobs.every_minute` once) leave only one of them scheduled, and no error is
shown. The scheduler runs only what the table holds, so the table is compared with the hooks.
"""

import frappe
from frappe.core.doctype.scheduled_job_type.scheduled_job_type import sync_jobs
from frappe.tests.utils import FrappeTestCase


def hooked_jobs(scheduler_events: dict) -> list[tuple[str, str, str | None]]:
	"""(method, frequency, cron format) of each entry, as Frappe's sync_jobs reads the hook."""
	jobs = []
	for event, entries in scheduler_events.items():
		if isinstance(entries, dict):  # "cron": {format: [methods]}
			jobs += [(method, "Cron", cron) for cron, methods in entries.items() for method in methods]
		else:  # "hourly", "daily_long", …
			jobs += [(method, event.replace("_", " ").title(), None) for method in entries]
	return jobs


def job_type_name(method: str) -> str:
	"""The name Frappe gives a method's Scheduled Job Type (ScheduledJobType.autoname)."""
	return ".".join(method.split(".")[-2:])


def colliding_names(scheduler_events: dict) -> dict[str, list[str]]:
	"""Job type names that two different methods would share: all but one would never run."""
	methods_by_name: dict[str, set[str]] = {}
	for method, _frequency, _cron in hooked_jobs(scheduler_events):
		methods_by_name.setdefault(job_type_name(method), set()).add(method)
	return {name: sorted(methods) for name, methods in methods_by_name.items() if len(methods) > 1}


class TestScheduledJobTypes(FrappeTestCase):
	def test_no_two_hooked_methods_of_any_app_share_a_job_type_name(self):
		self.assertEqual(colliding_names(frappe.get_hooks("scheduler_events")), {})

	def test_the_guard_catches_the_clash_that_left_dispatch_unscheduled(self):
		before_the_fix = {
			"cron": {
				"* * * * *": [
					"home_service.dispatch.jobs.every_minute",
					"home_service.billing.jobs.every_minute",
				]
			}
		}
		self.assertEqual(
			colliding_names(before_the_fix),
			{
				"jobs.every_minute": [
					"home_service.billing.jobs.every_minute",
					"home_service.dispatch.jobs.every_minute",
				]
			},
		)

	def test_every_job_of_our_app_is_in_the_table_as_installed_or_migrated(self):
		"""The site as `bench new-site`/`migrate` left it, before this test syncs anything."""
		self.assert_table_matches_hooks(frappe.get_hooks("scheduler_events", app_name="home_service"))

	def test_every_job_of_every_app_is_in_the_table_after_a_migrate_sync(self):
		sync_jobs()  # what `bench migrate` does after patches
		self.assert_table_matches_hooks(frappe.get_hooks("scheduler_events"))

	def assert_table_matches_hooks(self, scheduler_events: dict):
		jobs = hooked_jobs(scheduler_events)
		self.assertTrue(jobs)
		rows = frappe.get_all(
			"Scheduled Job Type",
			filters={"method": ("in", [method for method, _f, _c in jobs])},
			fields=["name", "method", "frequency", "cron_format", "stopped"],
		)
		by_method = {row.method: row for row in rows}
		missing = [method for method, _f, _c in jobs if method not in by_method]
		self.assertEqual(missing, [], "hooked methods the scheduler would never run")
		for method, frequency, cron in jobs:
			row = by_method[method]
			self.assertEqual(
				(row.name, row.frequency, row.cron_format or None, row.stopped),
				(job_type_name(method), frequency, cron, 0),
				method,
			)
		self.assertEqual(len({row.name for row in rows}), len(jobs))
