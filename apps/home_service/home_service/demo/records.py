"""Pieces every part of the demo loader shares: quiet records, direct back-dating, the demo's clock and
the fixture keys of what it loaded."""

from datetime import datetime, timedelta

import frappe
from frappe.model.document import Document
from frappe.utils import add_days, get_datetime, getdate, now_datetime

from home_service.booking.lifecycle import Status


def quiet(doc: Document) -> Document:
	"""Flags for a demo record on every save of this object."""
	doc.flags.ignore_version = True  # demo records have no edit history to show
	doc.flags.notify_update = False  # nobody has the demo open: no realtime messages per save
	doc.flags.notifications = []  # the demo's history is not news: no staff alerts or emails for it
	return doc


def insert(doctype: str, values: dict) -> Document:
	return quiet(frappe.get_doc({"doctype": doctype, **values})).insert(ignore_permissions=True)


class Clock:
	"""Moves fixture dates from the reference day to today, and keeps timelines out of the future."""

	def __init__(self, reference_now: str, now: datetime | None = None):
		self.reference = get_datetime(reference_now)
		self.now = now or now_datetime()
		# The reference day becomes the last day whose reference time has passed: loaded at 00:45,
		# before the fixture's 10:30, that is yesterday, so what the fixture has under way at 10:30 is
		# not still ahead (upcoming bookings would hold the technicians those jobs were given).
		since_midnight = self.reference - datetime.combine(self.reference.date(), datetime.min.time())
		self.days = ((self.now - since_midnight).date() - self.reference.date()).days

	def date(self, value: str | None):
		return add_days(getdate(value), self.days) if value else None

	def moment(self, value: str | None) -> datetime | None:
		return get_datetime(value) + timedelta(days=self.days) if value else None

	def booking_times(self, row: dict) -> list[datetime]:
		"""Creation time, then one time per step: in order and never after now."""
		raw = [row["created"], *(step[1] for step in row["steps"])]
		if row["status"] == Status.PENDING_PAYMENT:
			# still inside the payment hold: keep how many minutes ago it was booked
			shifted = [self.now - (self.reference - get_datetime(value)) for value in raw]
		else:
			shifted = [self.moment(value) for value in raw]
		times: list[datetime] = []
		for i, moment in enumerate(shifted):
			moment = min(moment, self.now - timedelta(seconds=30 * (len(shifted) - 1 - i) + 1))
			if times:
				moment = max(moment, times[-1] + timedelta(seconds=1))
			times.append(moment)
		return times


class Refs:
	"""Fixture keys (T001, C0001, C0001-A1) to document names, and the users linked to them."""

	def __init__(self):
		self.technicians: dict[str, str] = {}
		self.customers: dict[str, str] = {}
		self.addresses: dict[str, str] = {}
		self.linked_users: dict[tuple[str, str], str] = {}


def set_per_row(doctype: str, rows: dict[str, dict]) -> None:
	"""One UPDATE that gives each named row its own values."""
	if not rows:
		return
	params: dict = {"names": tuple(rows)}
	assignments = []
	for c, column in enumerate(sorted({column for values in rows.values() for column in values})):
		cases = []
		for r, (name, values) in enumerate(rows.items()):
			if column in values:
				params[f"n{r}"], params[f"v{c}_{r}"] = name, values[column]
				cases.append(f"when %(n{r})s then %(v{c}_{r})s")
		assignments.append(f"`{column}` = case `name` {' '.join(cases)} else `{column}` end")
	frappe.db.sql(  # nosemgrep: table and column names come from this module, values are parameters
		f"update `tab{doctype}` set {', '.join(assignments)} where `name` in %(names)s", params
	)
