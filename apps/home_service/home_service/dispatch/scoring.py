"""Ranks the technicians who could take a booking. Every factor is 0..1; the rule weighs them."""

from dataclasses import asdict, dataclass

import frappe
from frappe.utils import flt

from home_service.scheduling.eligibility import Candidate
from home_service.scheduling.reach import search_radius_km


@dataclass
class Scored:
	technician: str
	technician_name: str
	score: float
	distance_km: float | None
	factors: dict[str, float]

	def as_dict(self) -> dict:
		data = asdict(self)
		data["score"] = round(self.score, 4)
		data["factors"] = {k: round(v, 4) for k, v in self.factors.items()}
		if self.distance_km is not None:
			data["distance_km"] = round(self.distance_km, 2)
		return data


@dataclass(frozen=True)
class Weights:
	distance: float
	rating: float
	load: float
	acceptance: float
	previous: float

	@classmethod
	def of(cls, rule) -> "Weights":
		return cls(
			flt(rule.weight_distance),
			flt(rule.weight_rating),
			flt(rule.weight_load),
			flt(rule.weight_acceptance),
			flt(rule.weight_previous),
		)


def rank(
	candidates: list[Candidate],
	customer: str,
	rule,
	jobs_today: dict[str, int],
	daily_cap: int,
) -> list[Scored]:
	"""The candidates (already within the rule's search radius: eligibility.py), best first (ties
	broken by name for stable results)."""
	weights = Weights.of(rule)
	radius = search_radius_km(rule)
	previous = previous_technicians(customer)
	default_rating = flt(frappe.get_cached_doc("HS Settings").default_rating) or 5.0
	ranked = []
	for c in candidates:
		distance = c.distance_km  # None when the job's place is not known
		# read with the candidate, from the technician row (offers are counted there as they happen)
		received, accepted = c.offers_received, c.offers_accepted
		factors = {
			"distance": 0.5 if distance is None else max(0.0, 1 - distance / radius),
			"rating": min((c.rating or default_rating) / 5.0, 1.0),
			"load": max(0.0, 1 - jobs_today.get(c.name, 0) / max(daily_cap, 1)),
			"acceptance": (accepted + 1) / (received + 2),  # smoothed: new technicians start near 0.5
			"previous": 1.0 if c.name in previous else 0.0,
		}
		score = sum(getattr(weights, k) * v for k, v in factors.items())
		ranked.append(Scored(c.name, c.technician_name, score, distance, factors))
	ranked.sort(key=lambda s: (-s.score, s.technician))
	return ranked


def previous_technicians(customer: str) -> set[str]:
	"""Technicians of the customer's last 20 completed bookings."""
	return {
		name
		for (name,) in frappe.db.sql(
			"""select technician from `tabHS Booking`
			where customer = %s and status = 'Completed' and ifnull(technician, '') != ''
			order by completed_on desc limit 20""",
			customer,
		)
	}
