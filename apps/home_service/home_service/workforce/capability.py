"""Read model for candidate selection: HS Technician Capability.

One row per (technician, service area, skill), and one per (technician, service area) with an empty
skill for jobs that need none. Each row holds what changes only when the technician or one of their
qualifications is saved: the home base, the earliest expiry among approved certificates (and expired
ones not yet renewed, see COUNTED_CERTIFICATES) and the weekly
hours (encoded, see `encode_hours`). Candidate selection is then one range read on the
(service_area, skill) index, sorted by distance to the home base, joined by primary key to the
technician row for what changes all the time (review status, online status, live position, rating,
offer counters): those are written directly (db.set_value, counters) and so are never copied here.

Kept consistent in the same transaction as every write it depends on:
- HS Technician on_update (insert and every save: skills, areas, working hours) and on_trash;
- HS Qualification on_update and on_trash (the certificate expiry), for the old and new technician;
- the v0_1 backfill patch (existing sites) and the benchmark generator (bulk rows).

Concurrency: a technician save reads the qualifications with a shared lock before it touches its
capability rows, so a concurrent qualification save of the same technician (which holds its row)
finishes first or waits for it; a qualification save rewrites the expiry with one UPDATE whose
subquery is a locking read. Either way the last writer sees the other's committed rows.
"""

from collections import defaultdict
from functools import lru_cache

import frappe
from frappe.utils import now_datetime, to_timedelta

DOCTYPE = "HS Technician Capability"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_INDEX = {name: i for i, name in enumerate(WEEKDAYS)}
BATCH = 500
# The certificates whose expiry limits a technician: approved ones, and expired ones (marked by the
# daily job) until an approved certificate of the same type and skill with a later expiry renews them.
COUNTED_CERTIFICATES = """q.expiry_date is not null and (q.review_state = 'Approved' or (
	q.review_state = 'Expired' and not exists (
		select 1 from `tabHS Qualification` r where r.technician = q.technician
		and r.qualification_type = q.qualification_type and ifnull(r.skill, '') = ifnull(q.skill, '')
		and r.review_state = 'Approved' and r.expiry_date > q.expiry_date)))"""


def refresh(technicians: list[str]) -> None:
	"""Rebuild the rows of these technicians from HS Technician's tables and HS Qualification."""
	for i in range(0, len(technicians), BATCH):
		_refresh(sorted(set(technicians[i : i + BATCH])))


def _refresh(names: list[str]) -> None:
	if not names:
		return
	params = {"names": tuple(names)}
	# a locking read sees qualifications committed after this transaction's snapshot was taken
	expiries = dict(
		frappe.db.sql(
			f"""select q.technician, min(q.expiry_date) from `tabHS Qualification` q
			where q.technician in %(names)s and {COUNTED_CERTIFICATES}
			group by q.technician lock in share mode""",
			params,
		)
	)
	homes = {
		name: (lat, lng)
		for name, lat, lng in frappe.db.sql(
			"""select name, home_latitude, home_longitude from `tabHS Technician` where name in %(names)s""",
			params,
		)
	}
	areas, skills, hours = defaultdict(list), defaultdict(list), defaultdict(list)
	for parent, area in frappe.db.sql(
		"""select parent, service_area from `tabHS Technician Area`
		where parenttype = 'HS Technician' and parent in %(names)s and ifnull(service_area, '') != ''""",
		params,
	):
		areas[parent].append(area)
	for parent, skill in frappe.db.sql(
		"""select parent, skill from `tabHS Technician Skill`
		where parenttype = 'HS Technician' and parent in %(names)s and ifnull(skill, '') != ''""",
		params,
	):
		skills[parent].append(skill)
	for parent, weekday, begin, finish in frappe.db.sql(
		"""select parent, weekday, start_time, end_time from `tabHS Working Hours`
		where parenttype = 'HS Technician' and parent in %(names)s""",
		params,
	):
		if weekday in WEEKDAY_INDEX and begin is not None and finish is not None:
			hours[parent].append(
				(
					WEEKDAY_INDEX[weekday],
					int(to_timedelta(begin).total_seconds()),
					int(to_timedelta(finish).total_seconds()),
				)
			)
	capability = frappe.qb.DocType("HS Technician Capability")
	frappe.qb.from_(capability).delete().where(capability.technician.isin(params["names"])).run()
	now = now_datetime()
	rows = []
	for name in names:
		encoded = encode_hours(hours.get(name, ()))
		lat, lng = homes.get(name, (None, None))
		for area in dict.fromkeys(areas.get(name, ())):
			for skill in ("", *dict.fromkeys(skills.get(name, ()))):
				rows.append(
					(
						frappe.generate_hash(length=12),
						name,
						area,
						skill,
						lat,
						lng,
						expiries.get(name),
						encoded,
						now,
						now,
						"Administrator",
						"Administrator",
					)
				)
	if rows:
		frappe.db.bulk_insert(
			DOCTYPE,
			[
				"name",
				"technician",
				"service_area",
				"skill",
				"home_latitude",
				"home_longitude",
				"certificates_valid_until",
				"weekly_hours",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			rows,
		)


def refresh_certificates(technician: str | None) -> None:
	"""The earliest approved expiry of this technician, recomputed in one statement (its subquery is a
	locking read, so it sees every qualification committed before it)."""
	if not technician:
		return
	frappe.db.sql(
		f"""update `tabHS Technician Capability` set certificates_valid_until = (
			select min(q.expiry_date) from `tabHS Qualification` q
			where q.technician = %(t)s and {COUNTED_CERTIFICATES}
		) where technician = %(t)s""",
		{"t": technician},
	)


def remove(technician: str) -> None:
	frappe.db.sql("delete from `tabHS Technician Capability` where technician = %s", technician)


def encode_hours(spans) -> str:
	"""Weekly hours as text, "weekday:start-end" in seconds from midnight, e.g. "0:28800-64800"."""
	return " ".join(f"{d}:{a}-{b}" for d, a, b in sorted(spans))


@lru_cache(maxsize=4096)
def decode_hours(text: str | None) -> dict[int, tuple[tuple[int, int], ...]]:
	"""The reverse of `encode_hours`: {weekday: ((start, end), ...)} in seconds. Shared and cached:
	never mutate what it returns."""
	by_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
	for part in (text or "").split():
		day, _sep, span = part.partition(":")
		begin, _sep, finish = span.partition("-")
		by_day[int(day)].append((int(begin), int(finish)))
	return {day: tuple(spans) for day, spans in by_day.items()}


def backfill() -> None:
	"""Every technician's rows (a patch for existing sites; safe to run again)."""
	refresh(frappe.get_all("HS Technician", pluck="name", order_by="name asc"))
