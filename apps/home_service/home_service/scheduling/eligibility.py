"""Which technicians may do a job at all: skill, area, review, certificates (time comes later)."""

import math
from dataclasses import dataclass
from datetime import date

import frappe
from frappe.query_builder.functions import Min


@dataclass(frozen=True)
class Candidate:
	name: str
	technician_name: str
	status: str
	rating: float
	latitude: float | None
	longitude: float | None
	certificates_valid_until: date | None  # earliest expiry among approved certificates


def eligible_technicians(
	skill: str | None,
	service_area: str,
	on: date | None = None,
	online_only: bool = False,
	near: tuple[float, float] | None = None,
	limit: int | None = None,
) -> list[Candidate]:
	"""Approved technicians with the skill who serve the area, certificates valid on `on`.

	One indexed query: the child tables are joined on (skill, parent) and (service_area, parent).
	With `near` and `limit`, only the `limit` nearest (by their home base, or their live position
	when `online_only`), which is what dispatch needs from a city of thousands.
	"""
	tech = frappe.qb.DocType("HS Technician")
	area = frappe.qb.DocType("HS Technician Area")
	query = (
		frappe.qb.from_(tech)
		.join(area)
		.on((area.parent == tech.name) & (area.parenttype == "HS Technician"))
		.select(
			tech.name,
			tech.technician_name,
			tech.status,
			tech.rating,
			tech.current_latitude,
			tech.current_longitude,
			tech.home_latitude,
			tech.home_longitude,
		)
		.where(area.service_area == service_area)
		.where(tech.review_status == "Approved")
	)
	if skill:
		skills = frappe.qb.DocType("HS Technician Skill")
		query = query.join(skills).on(
			(skills.parent == tech.name) & (skills.parenttype == "HS Technician") & (skills.skill == skill)
		)
	if online_only:
		query = query.where(tech.status == "Online")
	if near and limit:
		lat_col, lng_col = (
			(tech.current_latitude, tech.current_longitude)
			if online_only
			else (tech.home_latitude, tech.home_longitude)
		)
		# equirectangular distance: exact enough to order a city, and cheap to sort in SQL
		scale = math.cos(math.radians(near[0]))
		dlat, dlng = lat_col - near[0], (lng_col - near[1]) * scale
		query = query.where(lat_col.isnotnull()).orderby(dlat * dlat + dlng * dlng).limit(limit)
	rows = query.run(as_dict=True)
	expiries = certificate_expiries([r.name for r in rows])
	candidates = []
	for row in rows:
		valid_until = expiries.get(row.name)
		if on and valid_until and valid_until < on:
			continue
		lat, lng = (
			(row.current_latitude, row.current_longitude)
			if online_only and row.current_latitude
			else (row.home_latitude, row.home_longitude)
		)
		candidates.append(
			Candidate(
				row.name, row.technician_name, row.status, float(row.rating or 0), lat, lng, valid_until
			)
		)
	return candidates


def certificate_expiries(technicians: list[str]) -> dict[str, date]:
	if not technicians:
		return {}
	q = frappe.qb.DocType("HS Qualification")
	rows = (
		frappe.qb.from_(q)
		.select(q.technician, Min(q.expiry_date))
		.where(q.technician.isin(technicians))
		.where(q.review_state == "Approved")
		.where(q.expiry_date.isnotnull())
		.groupby(q.technician)
	).run()
	return {name: expiry for name, expiry in rows}
