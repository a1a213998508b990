"""The demo city: the fixture files meet the minimums, and the site has them loaded.

bench --site home.localhost run-tests --module home_service.tests.test_demo_loader
"""

import json
import os
import unittest
from datetime import date, datetime, time, timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, now_datetime

from home_service.booking.lifecycle import ALL_STATUSES, NEEDS_TECHNICIAN, Status
from home_service.demo import generate, loader

MINIMUM = {
	"areas": 3,
	"child categories": 6,
	"items": 30,
	"technicians": 40,
	"customers": 200,
	"bookings": 500,
}
STAFF = {
	"ops@demo.home": "HS Operations Manager",
	"dispatcher@demo.home": "HS Dispatcher",
	"service@demo.home": "HS Customer Service",
	"finance@demo.home": "HS Finance",
}


def read_fixture(name: str):
	with open(os.path.join(loader.default_path(), f"{name}.json"), encoding="utf-8") as f:
		return json.load(f)


class TestDemoFixtures(FrappeTestCase):
	"""The files in home_service/demo/data, independent of any site."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.fixtures = {name: read_fixture(name) for name in loader.FIXTURE_FILES}

	def test_the_demo_ships_inside_the_package_and_the_generator_writes_there(self):
		"""An app installed with pip has no bench checkout around it: its demo must be package data."""
		package = os.path.realpath(frappe.get_app_path("home_service"))
		for folder in (loader.default_path(), generate.default_fixtures_path()):
			self.assertEqual(os.path.realpath(folder), os.path.join(package, "demo", "data"))
		for name in loader.FIXTURE_FILES:
			self.assertTrue(os.path.isfile(os.path.join(package, "demo", "data", f"{name}.json")), name)

	def test_catalogue_meets_the_minimums(self):
		catalog = self.fixtures["catalog"]
		children = [c for c in catalog["categories"] if c.get("parent_hs_service_category")]
		self.assertGreaterEqual(len(self.fixtures["areas"]), MINIMUM["areas"])
		self.assertGreaterEqual(len(children), MINIMUM["child categories"])
		self.assertGreaterEqual(len(catalog["items"]), MINIMUM["items"])
		models = {item["pricing_model"] for item in catalog["items"]}
		self.assertEqual(models, {"Fixed", "Per Unit", "Quote After Inspection", "Recycling"})
		for item in catalog["items"]:
			for field in ("duration_minutes", "required_skill", "unit", "keywords", "description"):
				self.assertTrue(item.get(field), f"{item['item_code']} has no {field}")

	def test_people_and_bookings_meet_the_minimums(self):
		self.assertGreaterEqual(len(self.fixtures["technicians"]), MINIMUM["technicians"])
		self.assertGreaterEqual(len(self.fixtures["customers"]), MINIMUM["customers"])
		self.assertGreaterEqual(len(self.fixtures["bookings"]), MINIMUM["bookings"])
		self.assertEqual({b["status"] for b in self.fixtures["bookings"]}, set(ALL_STATUSES))
		self.assertEqual(
			max(self.fixtures["manifest"]["booking_statuses"].items(), key=lambda kv: kv[1])[0], "Completed"
		)

	def test_files_are_what_the_generator_writes(self):
		# the committed files must not drift from generate.py (same seed, same output)
		fresh = generate.generate(loader.default_path())
		for name in ("technicians", "customers", "bookings"):
			self.assertEqual(fresh[name], self.fixtures[name], f"{name}.json is stale: run generate.py")

	def test_booked_technicians_can_do_the_job(self):
		techs = {t["key"]: t for t in self.fixtures["technicians"]}
		skills = {i["item_code"]: i["required_skill"] for i in self.fixtures["catalog"]["items"]}
		districts = {a["key"]: a["district"] for c in self.fixtures["customers"] for a in c["addresses"]}
		for booking in self.fixtures["bookings"]:
			if booking["status"] in NEEDS_TECHNICIAN:
				self.assertIn("technician", booking, booking["key"])
			if "technician" not in booking:
				continue
			tech = techs[booking["technician"]]
			self.assertEqual(tech["review_status"], "Approved", booking["key"])
			self.assertLessEqual(
				{skills[line["service_item"]] for line in booking["items"]},
				{row["skill"] for row in tech["skills"]},
				booking["key"],
			)
			self.assertIn(
				districts[booking["address"]], [row["service_area"] for row in tech["service_areas"]]
			)

	def test_demo_logins_are_documented(self):
		users = self.fixtures["users"]
		self.assertEqual(users["password"], "demo1234")
		self.assertLessEqual(set(STAFF), {u["email"] for u in users["users"]})

	def test_the_fixture_moment_is_behind_now_at_any_hour(self):
		reference = self.fixtures["manifest"]["reference_now"]
		for hour in (0, 2, 6, 10, 11, 23):  # the CI may load the demo at any hour
			now = datetime.combine(date(2027, 3, 1), time(hour, 45))
			clock = loader.Clock(reference, now=now)
			mapped = clock.moment(reference)
			self.assertLessEqual(mapped, now, hour)
			self.assertGreater(mapped, now - timedelta(days=1), hour)
			self.assertEqual(mapped.time(), get_datetime(reference).time())

	def test_timeline_is_ordered_and_never_in_the_future(self):
		clock = loader.Clock(self.fixtures["manifest"]["reference_now"])
		for booking in self.fixtures["bookings"]:
			times = clock.booking_times(booking)
			self.assertEqual(times, sorted(times), booking["key"])
			self.assertLessEqual(times[-1], clock.now, booking["key"])
			if booking["status"] == Status.PENDING_PAYMENT:
				# still inside the 15-minute payment hold
				self.assertGreater(times[0], clock.now - timedelta(minutes=15), booking["key"])


class TestDemoSite(FrappeTestCase):
	"""The demo data loaded into this site by setup (bench-config/setup.sh, HS_DEMO=1)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not loader.is_loaded() and os.environ.get("HS_DEMO") == "0":
			raise unittest.SkipTest("the demo data is not loaded (HS_DEMO=0)")

	def test_demo_is_marked_loaded(self):
		self.assertTrue(loader.is_loaded(), "run: bench --site <site> hs-load-demo")

	def test_counts_meet_the_minimums(self):
		self.assertGreaterEqual(frappe.db.count("HS Service Area"), MINIMUM["areas"])
		self.assertGreaterEqual(
			frappe.db.count("HS Service Category", {"parent_hs_service_category": ("is", "set")}),
			MINIMUM["child categories"],
		)
		self.assertGreaterEqual(frappe.db.count("HS Service Item"), MINIMUM["items"])
		self.assertGreaterEqual(frappe.db.count("HS Technician"), MINIMUM["technicians"])
		self.assertGreaterEqual(frappe.db.count("HS Customer"), MINIMUM["customers"])
		self.assertGreaterEqual(demo_bookings_count(), MINIMUM["bookings"])

	def test_every_status_is_present(self):
		statuses = frappe.get_all(
			"HS Booking",
			filters={"idempotency_key": ("like", "demo:%")},
			pluck="status",
			distinct=True,
		)
		self.assertEqual(set(statuses), set(ALL_STATUSES))

	def test_bookings_are_consistent(self):
		rows = frappe.get_all(
			"HS Booking",
			filters={"idempotency_key": ("like", "demo:%")},
			fields=[
				"name",
				"status",
				"technician",
				"payment_status",
				"paid_amount",
				"grand_total",
				"refunded_amount",
			],
		)
		for row in rows:
			if row.status in NEEDS_TECHNICIAN:
				self.assertTrue(row.technician, row.name)
			if row.payment_status in ("Paid", "Refunded"):
				self.assertEqual(row.paid_amount, row.grand_total, row.name)
			if row.status == Status.REFUNDED:
				self.assertEqual(row.refunded_amount, row.paid_amount, row.name)

	def test_bookings_span_the_last_60_and_next_7_days(self):
		first, last = frappe.db.sql(
			"select min(window_start), max(window_start) from `tabHS Booking` where idempotency_key like 'demo:%'"
		)[0]
		self.assertLessEqual(first, add_days(now_datetime(), -50))
		self.assertGreaterEqual(last, add_days(now_datetime(), 3))

	def test_every_booking_has_its_timeline(self):
		missing = frappe.db.sql(
			"""select b.name from `tabHS Booking` b
			left join `tabHS Booking Event` e on e.booking = b.name
			where b.idempotency_key like 'demo:%%' and e.name is null"""
		)
		self.assertFalse(missing)
		future = frappe.db.count("HS Booking Event", {"timestamp": (">", now_datetime())})
		self.assertEqual(future, 0)

	def test_demo_logins(self):
		for email, role in STAFF.items():
			self.assertEqual(frappe.db.get_value("User", email, "user_type"), "System User")
			self.assertIn(role, frappe.get_roles(email))
		self.assertEqual(frappe.db.get_value("User", "ops@demo.home", "role_profile_name"), "HS Operations")
		customer = frappe.db.get_value("HS Customer", {"user": "customer@demo.home"}, "name")
		technician = frappe.db.get_value("HS Technician", {"user": "tech@demo.home"}, "review_status")
		self.assertTrue(customer)
		self.assertEqual(technician, "Approved")
		for email in ("customer@demo.home", "tech@demo.home"):
			self.assertEqual(frappe.db.get_value("User", email, "user_type"), "Website User")

	def test_loading_again_adds_nothing(self):
		fixtures = {name: read_fixture(name) for name in ("technicians", "customers", "bookings")}
		before = {
			dt: frappe.db.count(dt)
			for dt in ("HS Technician", "HS Customer", "HS Customer Address", "HS Booking")
		}
		refs, clock = loader.Refs(), loader.Clock(read_fixture("manifest")["reference_now"])
		loader.load_technicians(fixtures["technicians"], refs, clock)
		loader.load_customers(fixtures["customers"], refs)
		loader.load_bookings(fixtures["bookings"][:20], refs, clock)
		after = {dt: frappe.db.count(dt) for dt in before}
		self.assertEqual(before, after)


def demo_bookings_count() -> int:
	return frappe.db.count("HS Booking", {"idempotency_key": ("like", "demo:%")})
