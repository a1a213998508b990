"""Booking numbers (HS-BK-2026-00042) come from a database sequence, not Frappe's Series table.

A naming series is one row that every insert locks until its transaction commits, so bookings would
be created one after another, each waiting for the previous one's hooks and commit. A sequence hands
out numbers outside the transaction: creates run side by side, and a rolled-back create leaves a gap.
"""

import frappe
from frappe.database.sequence import create_sequence, get_next_val
from frappe.query_builder import DocType, Table
from frappe.query_builder.functions import Cast, Function, Max
from frappe.utils import getdate, now_datetime

PREFIX = "HS-BK-"
SLUG = "_number_seq"


class Database(Function):
	def __init__(self):
		super().__init__("DATABASE")


def next_booking_name(creation=None) -> str:
	number = get_next_val("HS Booking", slug=SLUG)
	return f"{PREFIX}{getdate(creation or now_datetime()).year}-{number:05d}"


def ensure_sequence() -> None:
	"""Create the sequence once (install and migrate), after every number the Series table gave out."""
	tables = Table("tables", schema="information_schema")
	exists = (
		frappe.qb.from_(tables)
		.select(tables.table_name)
		.where(
			(tables.table_schema == Database())
			& (tables.table_name == f"hs_booking{SLUG}")
			& (tables.table_type == "SEQUENCE")
		)
		.run()
	)
	if exists:
		return
	series, booking = DocType("Series"), DocType("HS Booking")
	given = frappe.qb.from_(series).select(Max(series.current)).where(series.name.like(f"{PREFIX}%"))
	# and the bookings themselves: a site restored without its sequence must not reuse a number
	number = Cast(Function("SUBSTRING_INDEX", booking.name, "-", -1), "UNSIGNED")
	named = frappe.qb.from_(booking).select(Max(number)).where(booking.name.like(f"{PREFIX}%"))
	used = max(int(given.run()[0][0] or 0), int(named.run()[0][0] or 0))
	# DDL commits: only ever reached from install/migrate, when the sequence is missing
	create_sequence("HS Booking", slug=SLUG, check_not_exists=True, start_value=used + 1)
