"""The demo city's bookings: how many end in each status, built one by one without double-booking
a technician."""

import math
from datetime import date, datetime, time, timedelta

from home_service.demo.generator.choices import (
	BOOKING_NOTES,
	COMPANIONS,
	DAY_END,
	ITEM_NOTES,
	KEEPS_TECHNICIAN,
	MIN_NOTICE,
	NIGHT_ITEMS,
	POPULARITY,
	QUANTITIES,
	QUANTITY_RANGES,
	SINGLE_UNIT,
	UPCOMING,
	WINDOW_STARTS,
)
from home_service.demo.generator.common import (
	CHANNELS,
	FUTURE_DAYS,
	HISTORY_DAYS,
	REFERENCE_DATE,
	REFERENCE_NOW,
	fmt,
	haversine_km,
	travel,
	weighted,
	works,
)
from home_service.demo.generator.timeline import Timeline

# how many bookings end in each status (Completed is the bulk, as on a real platform)
STATUS_COUNTS = {
	"Completed": 300,
	"Cancelled": 45,
	"Refunded": 18,
	"Exception": 12,
	"Pending Payment": 14,
	"Pending Dispatch": 28,
	"Offered": 10,
	"Assigned": 45,
	"On The Way": 8,
	"Arrived": 5,
	"In Service": 10,
	"Awaiting Confirmation": 25,
}


class BookingFactory:
	"""Builds bookings one by one, keeping technicians' days free of double bookings."""

	def __init__(self, rng, catalog: dict, techs: list[dict], customers: list[dict]):
		self.rng = rng
		self.items = {item["item_code"]: item for item in catalog["items"]}
		self.techs = [t for t in techs if t["review_status"] == "Approved"]
		self.customers = customers
		self.active_customers = [c for c in customers if c["status"] == "Active"]
		self.customer_weights = {c["key"]: min(rng.paretovariate(1.3), 12) for c in customers}
		self.customer_weights["C0001"] = 4  # the demo customer login has a history
		self.calendar: dict[tuple[str, date], list[tuple[datetime, datetime, float, float]]] = {}
		# the scheduler only holds technicians whose approved certificates outlast the booking
		horizon = (REFERENCE_DATE + timedelta(days=FUTURE_DAYS + 1)).isoformat()
		self.certified = {
			t["key"]
			for t in self.techs
			if all(q["expiry_date"] > horizon for q in t["qualifications"] if q["review_state"] == "Approved")
		}

	# which items can be served at an address: a technician with the skill covers its district
	def served_items(self, area: str, night: bool) -> list[str]:
		codes = [code for code in POPULARITY if not night or code in NIGHT_ITEMS]
		return [code for code in codes if self.candidates([code], area)]

	def candidates(self, codes: list[str], area: str) -> list[dict]:
		needed = {self.items[code]["required_skill"] for code in codes}
		return [
			t
			for t in self.techs
			if needed <= {row["skill"] for row in t["skills"]}
			and area in [row["service_area"] for row in t["service_areas"]]
		]

	def pick_customer(self, status: str, force: str | None, tech: dict | None = None) -> dict:
		if force:
			return next(c for c in self.customers if c["key"] == force)
		# frozen or blacklisted customers only have history, nothing open
		pool = self.customers if status in ("Completed", "Cancelled", "Refunded") else self.active_customers
		if tech:
			covered = [row["service_area"] for row in tech["service_areas"]]
			pool = [c for c in pool if any(a["district"] in covered for a in c["addresses"])]
		return self.rng.choices(pool, weights=[self.customer_weights[c["key"]] for c in pool])[0]

	def pick_lines(self, area: str, night: bool, paid: bool, tech: dict | None) -> list[dict]:
		codes = self.served_items(area, night)
		if tech:
			skills = {row["skill"] for row in tech["skills"]}
			codes = [c for c in codes if self.items[c]["required_skill"] in skills]
		if paid:
			# recycling costs the customer nothing, so it cannot be paid for, refunded or left unpaid
			codes = [c for c in codes if self.items[c]["pricing_model"] != "Recycling"]
		first = self.rng.choices(codes, weights=[POPULARITY[c] for c in codes])[0]
		lines = [self.line(first)]
		companions = [c for c in COMPANIONS.get(first, ()) if c in codes or c == first]
		if companions and self.rng.random() < 0.18:
			second = self.line(self.rng.choice(companions), avoid_spec=lines[0].get("spec"))
			if second and (second["service_item"], second.get("spec")) != (first, lines[0].get("spec")):
				lines.append(second)
		return lines

	def line(self, code: str, avoid_spec: str | None = None) -> dict | None:
		item = self.items[code]
		row = {"service_item": code}
		specs = [s for s in item.get("specs", []) if s["spec_name"] != avoid_spec]
		if item.get("specs") and not specs:
			return None
		if specs:
			# the default (most popular) specification first, the others less often
			weights = [4 if s.get("is_default") else 2 for s in specs]
			row["spec"] = self.rng.choices(specs, weights=weights)[0]["spec_name"]
		row["quantity"] = self.quantity(item, row.get("spec"))
		return row

	def quantity(self, item: dict, spec: str | None):
		code = item["item_code"]
		if code in QUANTITIES:
			return self.rng.choice(QUANTITIES[code])
		if code in QUANTITY_RANGES:
			return self.rng.randint(*QUANTITY_RANGES[code])
		if item["pricing_model"] == "Quote After Inspection" or code in SINGLE_UNIT:
			return 1
		if spec == "筒灯/射灯":
			# one or two spotlights fall under the installation minimum charge
			return weighted(self.rng, ((1, 3), (2, 3), (4, 2), (6, 2), (8, 1)))
		if code == "AC-CLEAN-01" and spec and spec.startswith("挂机"):
			return weighted(self.rng, ((1, 60), (2, 25), (3, 15)))
		return 1 if self.rng.random() < 0.9 else 2

	def duration(self, lines: list[dict]) -> int:
		total = 0
		for line in lines:
			item = self.items[line["service_item"]]
			spec = next((s for s in item.get("specs", []) if s["spec_name"] == line.get("spec")), None)
			minutes = (spec or {}).get("duration_minutes") or item["duration_minutes"]
			if item["pricing_model"] in ("Quote After Inspection", "Recycling"):
				total += item["duration_minutes"]
			else:
				total += math.ceil(minutes * float(line["quantity"]))
		return total

	def pick_technician(
		self, codes: list[str], address: dict, start: datetime, minutes: int, force: str | None
	):
		where = (address["latitude"], address["longitude"])
		forced = self.tech_by_key(force)
		if forced and self.fit(forced, start, minutes, where) < 4:  # the demo login, unless double booked
			tech = forced
		else:
			pool = self.candidates(codes, address["district"])
			scored = sorted((self.fit(t, start, minutes, where), self.rng.random(), t["key"]) for t in pool)
			best = [key for score, _, key in scored if score == scored[0][0]]
			weights = [2 if key == "T001" else 1 for key in best]
			tech = self.tech_by_key(self.rng.choices(best, weights=weights)[0])
		self.calendar.setdefault((tech["key"], start.date()), []).append(
			(start, start + timedelta(minutes=minutes), *where)
		)
		return tech

	def fit(self, tech: dict, start: datetime, minutes: int, where: tuple[float, float]) -> int:
		"""0 is a perfect fit; each problem (double booked, off duty, busy day) adds to the score."""
		end = start + timedelta(minutes=minutes)
		day = self.calendar.get((tech["key"], start.date()), [])
		clash = any(
			start < e + travel(where, (lat, lng)) and s < end + travel(where, (lat, lng))
			for s, e, lat, lng in day
		)
		return 4 * clash + 2 * (not works(tech, start, end)) + (len(day) >= 5)

	def someone_free(self, codes: list[str], address: dict, start: datetime, minutes: int) -> bool:
		where = (address["latitude"], address["longitude"])
		return any(
			self.fit(t, start, minutes, where) < 4 for t in self.candidates(codes, address["district"])
		)

	def holdable(self, codes: list[str], address: dict, start: datetime, minutes: int) -> list[dict]:
		"""Certified technicians on duty and free then: whom the scheduler could hold for a new booking."""
		where, end = (address["latitude"], address["longitude"]), start + timedelta(minutes=minutes)
		return [
			t
			for t in self.candidates(codes, address["district"])
			if t["key"] in self.certified and works(t, start, end) and self.fit(t, start, minutes, where) < 4
		]

	def hold(self, codes: list[str], address: dict, start: datetime, minutes: int) -> None:
		"""Reserve the nearest free technician, as the scheduler does for a booking awaiting dispatch."""
		where = (address["latitude"], address["longitude"])
		free = self.holdable(codes, address, start, minutes)
		if free:
			tech = min(free, key=lambda t: haversine_km(t["home_latitude"], t["home_longitude"], *where))
			self.calendar.setdefault((tech["key"], start.date()), []).append(
				(start, start + timedelta(minutes=minutes), *where)
			)

	def coverable(self, codes: list[str], area: str, start: datetime, minutes: int) -> bool:
		"""Someone certified works this window on every weekday (the loader moves dates to today)."""
		pool = [t for t in self.candidates(codes, area) if t["key"] in self.certified]
		for offset in range(7):
			day_start = start + timedelta(days=offset)
			if not any(works(t, day_start, day_start + timedelta(minutes=minutes)) for t in pool):
				return False
		return True

	def day(self, status: str) -> date:
		"""Which day the visit is for, by target status (open states lie ahead, closed ones behind)."""
		rng, today = self.rng, REFERENCE_DATE
		if status in ("On The Way", "Arrived", "In Service"):
			return today
		if status in ("Pending Payment", "Pending Dispatch", "Offered", "Assigned"):
			return today + timedelta(days=rng.randint(0, 3 if status == "Offered" else FUTURE_DAYS))
		if status == "Awaiting Confirmation":
			return today - timedelta(days=rng.choice((1, 1, 2, 3)))
		if status == "Exception":
			return today - timedelta(days=rng.randint(1, 7))
		if status in ("Cancelled", "Refunded"):
			return today + timedelta(days=rng.randint(-HISTORY_DAYS, 3))
		# business grows: recent weeks are busier than two months ago, weekends busier than weekdays
		offsets = list(range(-HISTORY_DAYS, 0))
		weights = [
			(1 + 0.6 * (HISTORY_DAYS + d) / HISTORY_DAYS)
			* (1.3 if (today + timedelta(d)).weekday() >= 5 else 1)
			for d in offsets
		]
		return today + timedelta(days=rng.choices(offsets, weights=weights)[0])

	def window(self, status: str, day: date, minutes: int, codes: list[str], area: str) -> datetime | None:
		"""A window start the booking page would have offered, or None if these services do not fit."""
		if status in ("On The Way", "Arrived"):
			return datetime.combine(day, time(10))
		if status == "In Service":
			return datetime.combine(day, time(self.rng.choice((8, 10))))
		options = []
		for clock, weight in WINDOW_STARTS:
			start = datetime.combine(day, time.fromisoformat(clock))
			if (start + timedelta(minutes=minutes)).strftime("%H:%M:%S") > DAY_END or start.date() != (
				start + timedelta(minutes=minutes)
			).date():
				continue
			if status in UPCOMING and start < REFERENCE_NOW + MIN_NOTICE:
				continue  # nobody has set off yet, so the visit is still ahead
			if start > REFERENCE_NOW and not self.coverable(codes, area, start, minutes):
				continue  # capacity must be holdable for it when it is loaded
			options.append((start, weight))
		return weighted(self.rng, options) if options else None

	def urgent_start(self, day: date, night: bool) -> datetime:
		"""An immediate request ("尽快上门") starts its window the minute it is made."""
		hour = self.rng.choice((21, 22, 23)) if night else self.rng.randint(8, 19)
		return datetime.combine(day, time(hour, self.rng.randrange(60)))

	def booked_at(self, status: str, start: datetime, immediate: bool) -> datetime:
		rng = self.rng
		if status == "Pending Payment":
			return REFERENCE_NOW - timedelta(minutes=rng.randint(1, 13), seconds=rng.randint(0, 59))
		if immediate:
			return start + timedelta(seconds=rng.randint(0, 59))
		lead = weighted(
			rng,
			(
				(timedelta(minutes=rng.randint(120, 720)), 3),
				(timedelta(minutes=rng.randint(720, 2880)), 5),
				(timedelta(minutes=rng.randint(2880, 8640)), 2),
			),
		)
		created = start - lead
		if created > REFERENCE_NOW - timedelta(minutes=5):
			created = REFERENCE_NOW - timedelta(minutes=rng.randint(5, 600))
		return created.replace(second=rng.randint(0, 59))

	def build(self, status: str, force_customer: str | None = None, force_tech: str | None = None) -> dict:
		rng = self.rng
		tech = self.tech_by_key(force_tech)
		customer = self.pick_customer(status, force_customer, tech)
		addresses = customer["addresses"]
		if tech:
			covered = [row["service_area"] for row in tech["service_areas"]]
			addresses = [a for a in addresses if a["district"] in covered]
		address = addresses[0] if len(addresses) == 1 or rng.random() < 0.7 else rng.choice(addresses)
		day = self.day(status)
		# urgent requests only in the history; at night they are the only way to get a visit
		immediate = (
			day < REFERENCE_DATE and status in ("Completed", "Cancelled", "Exception") and rng.random() < 0.08
		)
		night = immediate and rng.random() < 0.4
		paid_only = status in ("Pending Payment", "Refunded")
		for _ in range(100):
			lines = self.pick_lines(address["district"], night, paid_only, tech)
			minutes = self.duration(lines)
			codes = [line["service_item"] for line in lines]
			start = (
				self.urgent_start(day, night)
				if immediate
				else self.window(status, day, minutes, codes, address["district"])
			)
			if not start:
				continue
			if status in KEEPS_TECHNICIAN and not self.someone_free(codes, address, start, minutes):
				continue
			if start > REFERENCE_NOW and not self.holdable(codes, address, start, minutes):
				continue
			break
		else:
			raise RuntimeError(f"no bookable window for a {status} booking in {address['district']}")
		created = self.booked_at(status, start, immediate)
		free = all(self.items[line["service_item"]]["pricing_model"] == "Recycling" for line in lines)
		booking = {
			"customer": customer["key"],
			"address": address["key"],
			"source_channel": customer["acquisition_channel"]
			if rng.random() < 0.7
			else weighted(rng, CHANNELS),
			"items": lines,
			"window_start": fmt(start),
			"is_immediate": int(immediate),
			"created": fmt(created),
			"status": status,
		}
		note = self.note(lines)
		if note:
			booking["customer_note"] = note
		timeline = Timeline(self, booking, created, start, minutes, free, address, force_tech)
		booking["steps"] = timeline.walk(status)
		if status in ("Pending Payment", "Pending Dispatch", "Offered"):
			self.hold(codes, address, start, minutes)
		if timeline.technician:
			booking["technician"] = timeline.technician
		return booking

	def tech_by_key(self, key: str | None) -> dict | None:
		return next((t for t in self.techs if t["key"] == key), None) if key else None

	def note(self, lines: list[dict]) -> str | None:
		specific = ITEM_NOTES.get(lines[0]["service_item"])
		roll = self.rng.random()
		if specific and roll < 0.45:
			return self.rng.choice(specific)
		if roll < 0.2:
			return self.rng.choice(BOOKING_NOTES)
		return None


def demo_slots(statuses: list[str]) -> dict[int, dict]:
	"""Bookings reserved for the demo logins: the customer sees every stage, the technician has work today."""
	forced: dict[int, dict] = {}
	for status, count in (
		("Completed", 4),
		("Awaiting Confirmation", 1),
		("Assigned", 1),
		("Pending Dispatch", 1),
		("Cancelled", 1),
		("Refunded", 1),
	):
		indexes = [i for i, s in enumerate(statuses) if s == status][:count]
		for i in indexes:
			forced[i] = {"force_customer": "C0001"}
	for status, count in (("In Service", 1), ("Assigned", 3), ("Completed", 8), ("Awaiting Confirmation", 1)):
		indexes = [i for i, s in enumerate(statuses) if s == status and i not in forced][-count:]
		for i in indexes:
			forced[i] = {"force_tech": "T001"}
	return forced


def make_bookings(rng, catalog, techs, customers) -> list[dict]:
	factory = BookingFactory(rng, catalog, techs, customers)
	statuses = [status for status, count in STATUS_COUNTS.items() for _ in range(count)]
	rng.shuffle(statuses)
	forced = demo_slots(statuses)
	# the demo technician's bookings first, so the calendar has room for them
	order = sorted(range(len(statuses)), key=lambda i: "force_tech" not in forced.get(i, {}))
	bookings = [None] * len(statuses)
	for i in order:
		bookings[i] = factory.build(statuses[i], **forced.get(i, {}))
	bookings.sort(key=lambda b: b["created"])
	for n, booking in enumerate(bookings, start=1):
		booking["key"] = f"BK{n:04d}"
	return [{"key": b.pop("key"), **b} for b in bookings]
