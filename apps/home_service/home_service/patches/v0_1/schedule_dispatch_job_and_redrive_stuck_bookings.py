"""Repair sites where dispatch's minute job never ran.

Frappe names a Scheduled Job Type after the last two parts of its method, so dispatch's and billing's
`jobs.every_minute` shared one row (billing's): offers never timed out and stalled bookings were
never re-driven. The jobs now have names of their own (hooks.py); this patch brings the table in line
with the hooks at once (dropping the shared row) and does the dispatch work that never ran, through
the same services the minute job uses. Idempotent: a second run finds nothing due."""

import frappe
from frappe.core.doctype.scheduled_job_type.scheduled_job_type import sync_jobs
from frappe.utils import now_datetime

from home_service.dispatch.engine import OPEN_STATUSES, expire_due_offers, redrive_stalled


def execute():
	sync_jobs()
	# no limit: every offer past its deadline is expired and its booking moved to its next round
	# (or to the dispatchers' queue) in this one run
	due = frappe.db.count("HS Dispatch Offer", {"status": "Pending", "expires_on": ("<=", now_datetime())})
	if due:
		expire_due_offers(limit=due)
	# Offered bookings left with no pending offer (all expired, or none made) and paid bookings nobody
	# is dispatching start their next round, or go to the dispatchers' queue
	open_bookings = frappe.db.count("HS Booking", {"status": ("in", OPEN_STATUSES)})
	if open_bookings:
		redrive_stalled(limit=open_bookings)
