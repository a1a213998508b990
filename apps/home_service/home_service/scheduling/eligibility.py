"""Which technicians may do a job at all: skill, area, review, certificates (time comes later)."""

import math
from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import formatdate


@dataclass(frozen=True)
class Candidate:
	name: str
	technician_name: str
	status: str
	rating: float
	latitude: float | None
	longitude: float | None
	certificates_valid_until: date | None  # earliest expiry among approved certificates
	weekly_hours: str | None = None  # encoded, see home_service.workforce.capability.encode_hours
	offers_received: int = 0
	offers_accepted: int = 0


def eligible_technicians(
	skill: str | None,
	service_area: str,
	on: date | None = None,
	online_only: bool = False,
	near: tuple[float, float] | None = None,
	limit: int | None = None,
) -> list[Candidate]:
	"""Approved technicians with the skill who serve the area, certificates valid on `on`.

	One query: a range read of the HS Technician Capability read model on (service_area, skill),
	which already holds the certificate expiry and the weekly hours, joined by primary key to the
	technician row for the review status, online status, position, rating and offer counters (always
	current: those are written directly, so the read model never copies them). With `near` and
	`limit`, only the `limit` nearest (by their home base, or their live position when
	`online_only`) whose certificates are valid, which is what dispatch needs from a city of thousands.
	"""
	conditions = ["c.service_area = %(area)s", "c.skill = %(skill)s", "t.review_status = 'Approved'"]
	params: dict = {"area": service_area, "skill": skill or ""}
	if on:
		conditions.append("(c.certificates_valid_until is null or c.certificates_valid_until >= %(on)s)")
		params["on"] = on
	if online_only:
		conditions.append("t.status = 'Online'")
	order = ""
	if near and limit:
		# the home base is in the read model, so the sort runs before the join (only `limit` rows are
		# joined); the live position is on the technician row
		lat, lng = (
			("t.current_latitude", "t.current_longitude")
			if online_only
			else ("c.home_latitude", "c.home_longitude")
		)
		# equirectangular distance: exact enough to order a city, and cheap to sort in SQL
		conditions.append(f"{lat} is not null")
		params.update(lat=near[0], lng=near[1], scale=math.cos(math.radians(near[0])), limit=int(limit))
		order = (
			f"order by ({lat} - %(lat)s) * ({lat} - %(lat)s)"
			f" + ({lng} - %(lng)s) * %(scale)s * ({lng} - %(lng)s) * %(scale)s, c.technician limit %(limit)s"
		)
	rows = frappe.db.sql(  # nosemgrep: the conditions are this function's constants, values are parameters
		f"""select t.name, t.technician_name, t.status, t.rating, t.current_latitude, t.current_longitude,
			t.home_latitude, t.home_longitude, c.certificates_valid_until, c.weekly_hours,
			t.offers_received, t.offers_accepted
		from `tabHS Technician Capability` c
		join `tabHS Technician` t on t.name = c.technician
		where {" and ".join(conditions)} {order}""",
		params,
	)
	candidates = []
	for (
		name,
		title,
		status,
		rating,
		cur_lat,
		cur_lng,
		home_lat,
		home_lng,
		valid,
		hours,
		received,
		accepted,
	) in rows:
		lat, lng = (cur_lat, cur_lng) if online_only and cur_lat else (home_lat, home_lng)
		candidates.append(
			Candidate(
				name,
				title,
				status,
				float(rating or 0),
				lat,
				lng,
				valid,
				hours or "",
				received or 0,
				accepted or 0,
			)
		)
	return candidates


def ineligibility(technician: str, skills: tuple[str, ...], service_area: str, on: date) -> str | None:
	"""Why `technician` may not do a job needing `skills` in `service_area` on `on`, by the rules of
	`eligible_technicians` (approved, serves the area, has every skill, certificates valid); None if
	they may.

	The capability rows are read with a shared lock, so a qualification save being committed (which
	rewrites the certificate expiry there) is waited for rather than missed.
	"""
	row = frappe.db.get_value("HS Technician", technician, ["technician_name", "review_status"], as_dict=True)
	if not row:
		return _("Technician {0} does not exist.").format(technician)
	if row.review_status != "Approved":
		return _("Technician {0} is {1} and cannot take jobs.").format(
			row.technician_name, _(row.review_status or "Pending")
		)
	capabilities = frappe.db.sql(
		"""select skill, certificates_valid_until from `tabHS Technician Capability`
		where technician = %s and service_area = %s lock in share mode""",
		(technician, service_area),
	)
	if not capabilities:
		area = frappe.get_cached_value("HS Service Area", service_area, "area_name") or service_area
		return _("Technician {0} does not serve {1}.").format(row.technician_name, area)
	missing = sorted(set(skills) - {skill for skill, _valid in capabilities})
	if missing:
		return _("Technician {0} does not have the skill this job needs: {1}.").format(
			row.technician_name, ", ".join(missing)
		)
	expiries = [valid for _skill, valid in capabilities if valid]
	if expiries and on and min(expiries) < on:
		return _("Technician {0}'s certificate expired on {1}; it must be renewed first.").format(
			row.technician_name, formatdate(min(expiries))
		)
	return None
