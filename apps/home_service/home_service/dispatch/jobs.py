"""Scheduler entry points for dispatch (see hooks.py).

Frappe names a Scheduled Job Type after the last two parts of its method ("jobs.<function>"), so
every entry point has a name no other job of any app has (tests/test_scheduled_job_types.py
guards it): two jobs sharing a name leave one of them unscheduled."""

from home_service.dispatch.engine import expire_due_offers, redrive_stalled


def expire_offers_and_redrive() -> None:
	"""Every minute: time out offers past their deadline, then restart bookings nobody is dispatching."""
	expire_due_offers()
	redrive_stalled()
