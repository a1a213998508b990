"""Which technicians may do a job at all: skill, area, review, certificates and distance (time
comes later, in availability.py).

This is the one rule that get_slots (availability), the booking's hold (holds.py) and dispatch's
candidate search (dispatch.engine.ranked_candidates) all apply, so a window is offered and reserved
only if dispatch would offer the job to someone. The distance limit is the search radius of the
dispatch rule that applies to the job (reach.py), which callers pass in.
"""

import math
from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import formatdate

from home_service.utils.geo import EARTH_RADIUS_KM, haversine_km, located


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
	distance_km: float | None = None  # from the job, when the job's place is known


def eligible_technicians(
	skill: str | None,
	service_area: str,
	on: date | None = None,
	online_only: bool = False,
	near: tuple[float, float] | None = None,
	limit: int | None = None,
	within_km: float | None = None,
) -> list[Candidate]:
	"""Approved technicians with the skill who serve the area, certificates valid on `on`.

	With `near` (the job's place) and `within_km`, only those whose position is at most that far
	from it by great-circle distance (utils.geo.haversine_km): the home base, or for `online_only`
	(jobs for right now) the live position when it is known. A technician whose position is not
	known (0, 0) is never within reach of a known place; a job whose place is not known has no
	distance limit. With `near` and `limit`, only the `limit` nearest (fewer when some of them are
	out of reach), which is what dispatch needs from a city of thousands.

	One query: a range read of the HS Technician Capability read model on (service_area, skill),
	which already holds the home base, the certificate expiry and the weekly hours, joined by primary
	key to the technician row for the review status, online status, live position, rating and offer
	counters (always current: those are written directly, so the read model never copies them).
	"""
	conditions = ["c.service_area = %(area)s", "c.skill = %(skill)s", "t.review_status = 'Approved'"]
	params: dict = {"area": service_area, "skill": skill or ""}
	if on:
		conditions.append("(c.certificates_valid_until is null or c.certificates_valid_until >= %(on)s)")
		params["on"] = on
	if online_only:
		conditions.append("t.status = 'Online'")
	near = near if near and located(*near) else None
	order = ""
	if near:
		lat, lng = position_columns(online_only)
		params.update(lat=near[0], lng=near[1])
		if within_km is not None:
			# a box around the circle: the database drops most rows with two range checks, and the
			# exact distance below decides on the rest
			conditions += [f"({lat} != 0 or {lng} != 0)", *box(lat, lng)]
			params.update(box_bounds(near, float(within_km)))
		if limit:
			# equirectangular distance: cheap to sort in SQL, and at city distances it orders as the
			# great-circle distance does to well under a metre
			params.update(scale=math.cos(math.radians(near[0])), limit=int(limit))
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
		live = online_only and located(cur_lat, cur_lng)
		lat, lng = (cur_lat, cur_lng) if live else (home_lat, home_lng)
		distance = haversine_km(lat, lng, *near) if near else None
		if distance is not None and within_km is not None and distance > within_km:
			continue  # in the box's corner, outside the circle
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
				distance,
			)
		)
	return candidates


def position_columns(online_only: bool) -> tuple[str, str]:
	"""Where a technician starts from: the home base (in the read model, so that a sort on it runs
	before the join), or for jobs for right now the live position when it is known."""
	if not online_only:
		return "c.home_latitude", "c.home_longitude"
	live = "(t.current_latitude != 0 or t.current_longitude != 0)"
	return (
		f"if({live}, t.current_latitude, c.home_latitude)",
		f"if({live}, t.current_longitude, c.home_longitude)",
	)


def box(lat: str, lng: str) -> list[str]:
	return [f"{lat} between %(lat_min)s and %(lat_max)s", f"{lng} between %(lng_min)s and %(lng_max)s"]


def box_bounds(near: tuple[float, float], km: float) -> dict:
	"""Latitudes and longitudes that hold every point within `km` of `near` on the sphere (with a
	margin for rounding: the exact distance decides, the box only saves work)."""
	angle = km / EARTH_RADIUS_KM
	dlat = math.degrees(angle) * 1.001 + 1e-6
	ratio = math.sin(min(angle, math.pi / 2)) / max(math.cos(math.radians(near[0])), 1e-12)
	dlng = math.degrees(math.asin(ratio)) * 1.001 + 1e-6 if ratio < 1 else 360.0
	if abs(near[1]) + dlng > 180:
		dlng = 360.0  # the box would cross the antimeridian: no limit on the longitude
	return {
		"lat_min": near[0] - dlat,
		"lat_max": near[0] + dlat,
		"lng_min": near[1] - dlng,
		"lng_max": near[1] + dlng,
	}


def ineligibility(technician: str, skills: tuple[str, ...], service_area: str, on: date) -> str | None:
	"""Why `technician` may not do a job needing `skills` in `service_area` on `on`, by the rules of
	`eligible_technicians` (approved, serves the area, has every skill, certificates valid); None if
	they may. The distance is not checked: it bounds the automatic search, and a dispatcher choosing
	by hand may send someone from further away (a booking nobody within reach took goes to them).

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
