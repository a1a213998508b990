"""Distances and service-area membership (WGS-84 / GCJ-02 coordinates as the maps give them)."""

import json
import math

import frappe

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
	p1, p2 = math.radians(lat1), math.radians(lat2)
	dp, dl = p2 - p1, math.radians(lng2 - lng1)
	a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
	return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def located(lat: float | None, lng: float | None) -> bool:
	"""Whether a place is known: coordinates default to 0, 0 (in the sea off Africa) when not set."""
	return lat is not None and lng is not None and bool(lat or lng)


def point_in_polygon(lat: float, lng: float, polygon: list[list[float]]) -> bool:
	"""Ray casting; polygon is [[lat, lng], ...]."""
	inside = False
	j = len(polygon) - 1
	for i in range(len(polygon)):
		yi, xi = polygon[i]
		yj, xj = polygon[j]
		if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
			inside = not inside
		j = i
	return inside


def parse_polygon(raw: str | None) -> list[list[float]] | None:
	if not raw:
		return None
	points = json.loads(raw)
	return [[float(p[0]), float(p[1])] for p in points]


def area_contains(area, lat: float, lng: float) -> bool:
	polygon = parse_polygon(area.get("polygon"))
	if polygon:
		return point_in_polygon(lat, lng, polygon)
	distance = haversine_km(area["center_latitude"], area["center_longitude"], lat, lng)
	return distance <= float(area.get("radius_km") or 0)


def active_areas() -> list[dict]:
	return frappe.get_all(
		"HS Service Area",
		filters={"is_active": 1},
		fields=["name", "center_latitude", "center_longitude", "radius_km", "polygon"],
	)


def find_service_area(lat: float | None, lng: float | None) -> str | None:
	"""The active area covering the point; the one with the nearest centre when several do."""
	if not located(lat, lng):
		return None
	covering = [a for a in active_areas() if area_contains(a, lat, lng)]
	if not covering:
		return None
	covering.sort(key=lambda a: haversine_km(a["center_latitude"], a["center_longitude"], lat, lng))
	return covering[0]["name"]
