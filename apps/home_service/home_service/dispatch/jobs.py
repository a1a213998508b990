"""Scheduler entry points for dispatch (see hooks.py)."""

from home_service.dispatch.engine import expire_due_offers, redrive_stalled


def every_minute() -> None:
	expire_due_offers()
	redrive_stalled()
