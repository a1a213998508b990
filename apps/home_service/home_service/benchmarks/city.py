"""Grows the demo city with synthetic technicians and their booked jobs, fast (bulk inserts).

The rows are committed (so that the database plans queries on real statistics, as in production)
and every one of them is named BENCH-…, which `remove()` deletes again.
"""

import random
from datetime import datetime, time, timedelta

import frappe
from frappe.utils import now_datetime

from home_service.utils.geo import haversine_km
from home_service.workforce import capability

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SyntheticCity:
	def __init__(self, seed: int = 7):
		self.random = random.Random(seed)
		self.areas = frappe.get_all(
			"HS Service Area",
			filters={"is_active": 1, "city": "上海市"},
			fields=["name", "center_latitude", "center_longitude", "radius_km"],
			order_by="name asc",
		)
		self.skills = frappe.get_all("HS Skill", pluck="name", order_by="name asc")
		if not self.areas or not self.skills:
			frappe.throw("Load the demo city first (bench-config/setup.sh or hs-load-demo).")
		self.customer, self.address = frappe.db.get_value(
			"HS Customer Address", {"service_area": self.areas[0].name}, ["customer", "name"]
		)
		self.count = 0
		self.focus_count = 0  # generated technicians qualified for the `focus` of add_technicians
		remove()

	def add_technicians(
		self,
		n: int,
		jobs_per_day: float = 1.0,
		days: int = 7,
		focus: tuple[str, str] | None = None,
		focus_qualified: int = 0,
	) -> None:
		"""`n` more technicians spread over the areas, each with two skills and a job a day.

		With `focus` (service area, skill) and `focus_qualified`, at least that many of the `n` are
		approved, serve that area and have that skill (the random ones that happen to count first, the
		rest placed there), so one item in one area has a known number of qualified technicians.
		"""
		now = now_datetime()
		technicians, skills, areas, hours, bookings = [], [], [], [], []
		focus_area = next((a for a in self.areas if focus and a.name == focus[0]), None)
		for i in range(n):
			self.count += 1
			name = f"BENCH-TC-{self.count:06d}"
			placed = focus_area is not None and focus_qualified >= n - i  # no random luck left to wait for
			area = focus_area if placed else self.areas[self.count % len(self.areas)]
			lat, lng = self.point_in(area)
			level = self.random.choice(("Junior", "Senior"))
			status = "Online" if self.random.random() < 0.5 else "Offline"
			review = "Approved" if placed or self.random.random() < 0.9 else "Pending"
			picked = self.random.sample(self.skills, 2)
			if placed and focus[1] not in picked:
				picked[0] = focus[1]
			if focus_area and review == "Approved" and area.name == focus[0] and focus[1] in picked:
				focus_qualified -= 1
				self.focus_count += 1
			technicians.append(
				(
					name,
					f"压测师傅{self.count}",
					f"199{self.count:08d}",
					level,
					status,
					review,
					round(self.random.uniform(3.5, 5), 2),
					lat,
					lng,
					lat,
					lng,
					self.random.randint(0, 200),
					self.random.randint(0, 150),
					now,
					now,
					"Administrator",
					"Administrator",
				)
			)
			for idx, skill in enumerate(picked, 1):
				skills.append(
					(
						frappe.generate_hash(length=10),
						name,
						"HS Technician",
						"skills",
						idx,
						skill,
						"Senior",
						now,
						now,
					)
				)
			areas.append(
				(
					frappe.generate_hash(length=10),
					name,
					"HS Technician",
					"service_areas",
					1,
					area.name,
					now,
					now,
				)
			)
			for idx, day in enumerate(WEEKDAYS[:6], 1):
				hours.append(
					(
						frappe.generate_hash(length=10),
						name,
						"HS Technician",
						"working_hours",
						idx,
						day,
						"08:00:00",
						"18:00:00",
						now,
						now,
					)
				)
			for d in range(days):
				if self.random.random() < jobs_per_day:
					start = datetime.combine(
						(now + timedelta(days=d + 1)).date(), time(self.random.choice((8, 10, 12, 14, 16)), 0)
					)
					bookings.append(
						(
							f"BENCH-BK-{self.count:06d}-{d}",
							"BENCH-CUSTOMER",
							"BENCH-ADDRESS",
							name,
							"Assigned",
							start,
							start + timedelta(hours=2),
							start + timedelta(minutes=90),
							90,
							lat,
							lng,
							area.name,
							now,
							now,
							"Administrator",
							"Administrator",
						)
					)
		common = ["name", "parent", "parenttype", "parentfield", "idx"]
		frappe.db.bulk_insert(
			"HS Technician",
			[
				"name",
				"technician_name",
				"mobile_no",
				"level",
				"status",
				"review_status",
				"rating",
				"home_latitude",
				"home_longitude",
				"current_latitude",
				"current_longitude",
				"offers_received",
				"offers_accepted",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			technicians,
		)
		frappe.db.bulk_insert(
			"HS Technician Skill", [*common, "skill", "level", "creation", "modified"], skills
		)
		frappe.db.bulk_insert("HS Technician Area", [*common, "service_area", "creation", "modified"], areas)
		frappe.db.bulk_insert(
			"HS Working Hours", [*common, "weekday", "start_time", "end_time", "creation", "modified"], hours
		)
		frappe.db.bulk_insert(
			"HS Booking",
			[
				"name",
				"customer",
				"address",
				"technician",
				"status",
				"window_start",
				"window_end",
				"service_end",
				"duration_minutes",
				"latitude",
				"longitude",
				"service_area",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			bookings,
		)
		# the read model as the HS Technician controller keeps it, built by its own code
		capability.refresh([row[0] for row in technicians])
		frappe.db.commit()  # nosemgrep: benchmark data must be visible to the planner's statistics
		frappe.db.sql(
			"analyze table `tabHS Technician`, `tabHS Technician Skill`, `tabHS Technician Area`,"
			" `tabHS Working Hours`, `tabHS Booking`, `tabHS Technician Capability`"
		)

	def point_in(self, area) -> tuple[float, float]:
		while True:
			lat = area.center_latitude + self.random.uniform(-0.08, 0.08)
			lng = area.center_longitude + self.random.uniform(-0.08, 0.08)
			if (
				haversine_km(area.center_latitude, area.center_longitude, lat, lng)
				<= (area.radius_km or 5) * 0.9
			):
				return round(lat, 6), round(lng, 6)


def remove() -> None:
	"""Delete every synthetic row (also those a crashed earlier run left behind)."""
	for table, column in (
		("HS Technician Capability", "technician"),
		("HS Technician Skill", "parent"),
		("HS Technician Area", "parent"),
		("HS Working Hours", "parent"),
		("HS Booking", "name"),
		("HS Technician", "name"),
	):
		frappe.db.delete(table, {column: ("like", "BENCH-%")})
	frappe.db.commit()  # nosemgrep: leave the site as it was
