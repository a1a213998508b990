"""An isolated corner of the map (no demo data nearby) with skilled technicians, for scheduling tests."""

import random
from datetime import date, datetime, time, timedelta

import frappe
from frappe import get_document_cache_key
from frappe.utils import getdate, nowdate

from home_service.tests.factories import (
	make_address,
	make_area,
	make_customer,
	make_item,
	make_skill,
	make_technician,
	uid,
)

SETTINGS = {
	"window_hours": 2,
	"day_start_time": "08:00:00",
	"day_end_time": "20:00:00",
	"min_notice_hours": 2,
	"booking_horizon_days": 7,
	"daily_cap_per_technician": 8,
	"travel_buffer_minutes": 30,
	"travel_speed_kmh": 30,
	"payment_hold_minutes": 15,
}
OFFICE_HOURS = [
	{"weekday": day, "start_time": "08:00:00", "end_time": "18:00:00"}
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


class Corner:
	"""A service area far from everything, a skill, an item needing it, a customer living there."""

	def __init__(self, lat: float | None = None, lng: float = 100.0, radius_km: float = 10):
		self.lat = lat if lat is not None else random.uniform(40, 45)
		self.lng = lng
		self.area = make_area(lat=self.lat, lng=self.lng, radius_km=radius_km)
		self.skill = make_skill()
		self.item = make_item(required_skill=self.skill, base_price=100, duration_minutes=60)
		self.customer = make_customer()
		self.address = make_address(self.customer, self.lat, self.lng)

	def technician(self, hours=OFFICE_HOURS, skills=None, lat_offset: float = 0.0, **kw) -> str:
		return make_technician(
			skills=[self.skill] if skills is None else skills,
			areas=[self.area],
			hours=hours,
			home_latitude=self.lat + lat_offset,
			home_longitude=self.lng,
			**kw,
		)

	def reach(self, km: float) -> str:
		"""A dispatch rule for this area that looks `km` around each job (without one: 15 km)."""
		rule = {"doctype": "HS Dispatch Rule", "rule_name": uid("Reach "), "priority": 10000}
		rule.update(service_area=self.area, search_radius_km=km)
		return frappe.get_doc(rule).insert(ignore_permissions=True).name

	def items(self, qty: int = 1) -> list[dict]:
		return [{"service_item": self.item, "quantity": qty}]

	def address_at(self, lat_offset: float) -> str:
		return make_address(self.customer, self.lat + lat_offset, self.lng)


def day_after(days: int = 2) -> date:
	return getdate(nowdate()) + timedelta(days=days)


def at(day: date, hour: int, minute: int = 0) -> datetime:
	return datetime.combine(day, time(hour, minute))


def unique() -> str:
	return uid()


def apply_settings(values: dict | None = None) -> None:
	"""Set HS Settings inside the test's transaction (the cached single is refreshed too)."""
	frappe.db.set_single_value("HS Settings", {**SETTINGS, **(values or {})})
	frappe.clear_document_cache("HS Settings", "HS Settings")
	# Pin this transaction's settings in the process cache: on a site shared with a worker or other
	# test runs, another process may put the committed settings back in Redis before we read them.
	key = frappe.cache.make_key(get_document_cache_key("HS Settings", "HS Settings"))
	frappe.local.cache[key] = frappe.get_doc("HS Settings")


def forget_settings() -> None:
	frappe.clear_document_cache("HS Settings", "HS Settings")
