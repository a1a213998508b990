"""Reserving technician time without double booking.

The technician row is the lock: every path that gives a technician a job (a hold at booking time,
an assignment by dispatch or by staff) first locks the technicians it considers, then re-reads their
bookings with a locking read, which sees every hold committed by whoever held the lock before. A
read-then-write without the lock would let two requests take the same window.

A booking's hold tries the nearest free technician first and skips one whose row another request is
holding (`SKIP LOCKED`), so bookings in one area go on side by side instead of queueing on the same
rows; only when every candidate was busy or taken does it wait, in name order, for the skipped ones.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime

from home_service.scheduling.availability import Job, free_candidates, is_free
from home_service.scheduling.calendar import calendars_around
from home_service.scheduling.eligibility import ineligibility
from home_service.scheduling.settings import get_settings


class NoCapacityError(frappe.ValidationError):
	http_status_code = 409


class TechnicianBusyError(frappe.ValidationError):
	http_status_code = 409


class NotEligibleError(frappe.ValidationError):
	"""The technician may not do this job at all: review, service area, skill or certificates."""

	http_status_code = 409


def lock_technicians(names: list[str], skip_locked: bool = False) -> list[str]:
	"""Lock the technicians' rows in name order (waiting for other transactions), or with
	`skip_locked` only those nobody else holds, at once; the names locked."""
	if not names:
		return []
	skip = " skip locked" if skip_locked else ""
	return frappe.db.sql_list(
		f"select name from `tabHS Technician` where name in %(names)s order by name for update{skip}",
		{"names": tuple(sorted(names))},
	)


def locked_calendars(names: list[str], start):
	lock_technicians(names)
	return calendars_around(names, start, for_update=True)


def hold_technician(job: Job, start, immediate: bool = False, booking: str | None = None) -> str:
	"""Reserve the nearest technician who is free at `start` and whom dispatch could offer the job
	(within its search radius: `free_candidates`); raise NoCapacityError if nobody is."""
	start = get_datetime(start)
	settings = get_settings()
	candidates = sorted(
		free_candidates(job, start, immediate=immediate, ignore=booking),
		key=lambda c: float("inf") if c.distance_km is None else c.distance_km,
	)

	def free(calendars, name: str) -> bool:
		return is_free(calendars[name], start, job, settings, ignore=booking, check_hours=not immediate)

	skipped = []
	for candidate in candidates:
		if not lock_technicians([candidate.name], skip_locked=True):
			skipped.append(candidate.name)
			continue
		hours = {candidate.name: candidate.weekly_hours}
		if free(
			calendars_around([candidate.name], start, for_update=True, weekly_hours=hours), candidate.name
		):
			return candidate.name
	if skipped:
		# everyone we could lock was taken meanwhile: wait for the others' requests to finish
		calendars = locked_calendars(skipped, start)
		for name in skipped:
			if free(calendars, name):
				return name
	frappe.throw(
		_("No technician is free for this time any more. Please choose another time."),
		NoCapacityError,
		title=_("Time no longer available"),
	)


def assert_assignable(job: Job, technician: str, start, booking: str | None = None) -> None:
	"""Under the technician's row lock, refuse an assignment that overlaps their other jobs."""
	start = get_datetime(start)
	calendar = locked_calendars([technician], start)[technician]
	if not is_free(calendar, start, job, get_settings(), ignore=booking, check_hours=False):
		frappe.throw(
			_("Technician {0} already has a job, leave or a full day around {1}.").format(
				frappe.bold(
					frappe.get_cached_value("HS Technician", technician, "technician_name") or technician
				),
				frappe.format(start, {"fieldtype": "Datetime"}),
			),
			TechnicianBusyError,
			title=_("Technician not available"),
		)


def assert_eligible(job: Job, technician: str, start) -> None:
	"""Under the technician's row lock, refuse a technician whom dispatch would never offer the job:
	for a person choosing one by hand (the dispatch board, the booking form)."""
	lock_technicians([technician])
	reason = ineligibility(technician, job.skills, job.service_area, get_datetime(start).date())
	if reason:
		frappe.throw(reason, NotEligibleError, title=_("Technician not eligible"))
