"""The demo city (上海市): loads demo/data/*.json, shipped in the app's package, into a site.

	bench --site home.localhost hs-load-demo [--path DIR] [--force]
	bench --site home.localhost execute home_service.demo.loader.load_if_missing   (what setup runs)

Every record goes through its DocType controller (validation, pricing, lifecycle), so the demo shows what
the app itself would have produced. Records are matched on natural keys (names, item codes, mobile numbers,
certificate numbers, the booking's idempotency key "demo:BK0001"), so running again only adds what is
missing. Demo logins use the password in demo/data/users.json ("demo1234").

Dates: the generator writes every date as seen on manifest["reference_now"]; the loader moves them by the
whole days between that day and today, so the bookings always span the last 60 and the next 7 days.

After-sales (demo/care.py): coupons, reviews, complaints, penalties and appeals, leave.

Money (demo/money.py, demo/payouts.py): payments, refunds, recycling pickups, settlements, withdrawals
and the daily reconciliation are made by the app's own services against WeChat Pay and Alipay fakes
started in this process, then moved to their moment in the history like everything else.
"""

import json
import os
import time
from contextlib import contextmanager
from datetime import timedelta

import frappe
from frappe.utils import now_datetime

from home_service import compat
from home_service.booking.lifecycle import Status
from home_service.demo import care, money, payouts
from home_service.demo.bookings import BOOKING_KEY_PREFIX, load_booking
from home_service.demo.records import Clock, Refs, insert, set_per_row

__all__ = ["Clock", "Refs", "insert", "load", "load_if_missing", "set_per_row"]

DEMO_MARKER = "hs_demo_loaded"
COMMIT_EVERY = 25  # bookings per transaction, see commit()
LOAD_ATTEMPTS = 3
FIXTURE_FILES = (
	"manifest",
	"users",
	"areas",
	"catalog",
	"price_rules",
	"technicians",
	"customers",
	"bookings",
	"money",
	"care",
)
SUMMARY = (
	("HS Service Area", "areas"),
	("HS Service Item", "items"),
	("HS Technician", "technicians"),
	("HS Customer", "customers"),
	("HS Booking", "bookings"),
)
TECHNICIAN_STATS = ("completed_count",)  # set after the bookings, which add to it


def default_path() -> str:
	"""Inside the package, so an app installed with pip has its demo (see demo/data/README.md)."""
	return os.path.join(os.path.dirname(__file__), "data")


def is_loaded() -> bool:
	return bool(frappe.db.get_default(DEMO_MARKER))


def load_if_missing() -> None:
	"""Setup's entry point: load the demo once, then only report what is there."""
	if is_loaded():
		print(summary_line() + " (already loaded)")
		return
	load()


def load(path: str | None = None, force: bool = False) -> dict[str, int]:
	"""Load the fixtures in dependency order; `force` loads again whatever is missing despite the marker."""
	if is_loaded() and not force:
		print(summary_line() + " (already loaded; --force adds anything missing)")
		return counts()
	started = time.monotonic()
	compat.install()  # `bench execute` runs no hook; the bookings are saved hundreds of times
	fixtures = read_fixtures(path or default_path())
	for attempt in range(1, LOAD_ATTEMPTS + 1):
		try:
			load_all(fixtures)
			break
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			# another session held the same rows; what was committed stays, the rest is loaded again
			frappe.db.rollback()
			if attempt == LOAD_ATTEMPTS:
				raise
			print(f"demo data: lock conflict with another session, resuming (attempt {attempt + 1})")
	print(f"{summary_line()} (loaded in {time.monotonic() - started:.0f}s)")
	return counts()


def load_all(fixtures: dict) -> None:
	clock = Clock(fixtures["manifest"]["reference_now"])
	with loading_flags(), money.providers() as cash:
		cash.offline = money.plan_offline(fixtures["money"].get("offline_payments"), fixtures["bookings"])
		refs = Refs()
		load_users(fixtures, refs)
		load_areas(fixtures["areas"])
		load_catalog(fixtures["catalog"])
		load_price_rules(fixtures["price_rules"])
		payouts.load_rules(fixtures["money"], clock)
		care.load_coupon_templates(fixtures["care"]["coupon_templates"], clock)  # before customers sign up
		load_technicians(fixtures["technicians"], refs, clock)
		load_customers(fixtures["customers"], refs)
		commit()
		load_bookings(fixtures["bookings"], refs, clock, commit_every=COMMIT_EVERY, cash=cash)
		finish_customers(fixtures["customers"], refs)
		finish_technicians(fixtures["technicians"], refs, clock)
		commit()
		payouts.settle(clock)
		commit()
		payouts.withdraw(cash, fixtures["money"]["withdrawals"], clock)
		commit()
		care.load(fixtures["care"], clock)  # after the withdrawals: a penalty takes what is left now
		commit()
		payouts.reconcile(cash, clock)
	frappe.db.set_default(DEMO_MARKER, str(now_datetime()))
	commit()


def commit() -> None:
	"""Commit a chunk of the load.

	One transaction for everything would be quadratic: Frappe keeps every pending realtime message in a
	list that it searches on each append until the commit. Nobody watches a demo being loaded, so those
	messages are dropped rather than sent. Every step is idempotent, so a load that stops half-way is
	completed by running it again (the marker is set only at the very end).
	"""
	if getattr(frappe.local, "_realtime_log", None):
		frappe.local._realtime_log = []
	frappe.db.commit()  # nosemgrep: a CLI/setup entry point, not a request; the load must be persisted


def counts() -> dict[str, int]:
	return {label: frappe.db.count(doctype) for doctype, label in SUMMARY}


def summary_line() -> str:
	return "demo data: " + ", ".join(f"{n} {label}" for label, n in counts().items())


def read_fixtures(path: str) -> dict:
	data = {}
	for name in FIXTURE_FILES:
		with open(os.path.join(path, f"{name}.json"), encoding="utf-8") as f:
			data[name] = json.load(f)
	return data


@contextmanager
def loading_flags():
	"""Quiet, faster inserts. Not `in_import`: it skips field defaults, which the controllers rely on."""
	flags = ("mute_emails", "hs_no_dispatch_jobs", "hs_replaying_history")
	previous = {flag: frappe.flags.get(flag) for flag in flags}
	# demo bookings arrive in their final states: a dispatch job per booking would only queue no-ops;
	# and the services' own saves (a payment, a refund) alert no staff about history (frappe_email.py)
	frappe.flags.update(dict.fromkeys(flags, True))
	try:
		yield
	finally:
		frappe.flags.update(previous)


# --- users ----------------------------------------------------------------------------------------
def load_users(fixtures: dict, refs: Refs) -> None:
	names = {("HS Customer", c["key"]): c["customer_name"] for c in fixtures["customers"]}
	names |= {("HS Technician", t["key"]): t["technician_name"] for t in fixtures["technicians"]}
	language = "zh" if frappe.db.exists("Language", "zh") else None
	for row in fixtures["users"]["users"]:
		link = row.get("link")
		if link:
			refs.linked_users[(link["doctype"], link["key"])] = row["email"]
		if frappe.db.exists("User", row["email"]):
			continue
		linked_name = names.get((link["doctype"], link["key"])) if link else None
		user = frappe.new_doc("User")
		user.update(
			{
				"email": row["email"],
				"first_name": row.get("first_name") or linked_name or "Demo",
				"user_type": row["user_type"],
				"role_profile_name": row.get("role_profile_name"),
				"language": language,
				"send_welcome_email": 0,
				"new_password": fixtures["users"]["password"],
			}
		)
		for role in row.get("roles", []):
			user.append("roles", {"role": role})
		user.flags.ignore_password_policy = True  # "demo1234" is deliberately easy to type in a demo
		user.insert(ignore_permissions=True)


# --- catalogue ------------------------------------------------------------------------------------
def load_areas(areas: list[dict]) -> None:
	for row in areas:
		if not frappe.db.exists("HS Service Area", row["area_name"]):
			insert("HS Service Area", row)


def load_catalog(catalog: dict) -> None:
	# parents come before their children in the file, as the nested set needs
	for row in catalog["categories"]:
		if not frappe.db.exists("HS Service Category", row["category_name"]):
			insert("HS Service Category", row)
	for row in catalog["skills"]:
		if not frappe.db.exists("HS Skill", row["skill_name"]):
			insert("HS Skill", row)
	for row in catalog["items"]:
		if not frappe.db.exists("HS Service Item", row["item_code"]):
			insert("HS Service Item", row)


def load_price_rules(rules: list[dict]) -> None:
	for row in rules:
		if not frappe.db.exists("HS Price Rule", row["rule_name"]):
			insert("HS Price Rule", row)


# --- people ---------------------------------------------------------------------------------------
def load_technicians(rows: list[dict], refs: Refs, clock: Clock) -> None:
	existing = dict(frappe.get_all("HS Technician", fields=["mobile_no", "name"], as_list=True))
	for row in rows:
		key = row["key"]
		if row["mobile_no"] in existing:
			refs.technicians[key] = existing[row["mobile_no"]]
			continue
		values = {k: v for k, v in row.items() if k not in ("key", "qualifications", *TECHNICIAN_STATS)}
		values["joined_on"] = clock.date(row.get("joined_on"))
		values["user"] = refs.linked_users.get(("HS Technician", key))
		tech = insert("HS Technician", values)
		refs.technicians[key] = tech.name
		for qualification in row.get("qualifications", []):
			load_qualification(tech.name, qualification, clock)


def load_qualification(technician: str, row: dict, clock: Clock) -> None:
	if frappe.db.exists(
		"HS Qualification", {"technician": technician, "certificate_no": row["certificate_no"]}
	):
		return
	values = dict(row, technician=technician)
	for field in ("issue_date", "expiry_date"):
		values[field] = clock.date(row.get(field))
	values["reviewed_on"] = clock.moment(row.get("reviewed_on"))
	if values.get("reviewed_by") and not frappe.db.exists("User", values["reviewed_by"]):
		values["reviewed_by"] = None
	insert("HS Qualification", values)


def load_customers(rows: list[dict], refs: Refs) -> None:
	existing = dict(frappe.get_all("HS Customer", fields=["mobile_no", "name"], as_list=True))
	for row in rows:
		key = row["key"]
		if row["mobile_no"] in existing:
			refs.customers[key] = existing[row["mobile_no"]]
		else:
			# frozen and blacklisted accounts get their status after their bookings (finish_customers)
			values = {k: v for k, v in row.items() if k not in ("key", "addresses")}
			values["status"] = "Active"
			values["user"] = refs.linked_users.get(("HS Customer", key))
			refs.customers[key] = insert("HS Customer", values).name
		for address in row["addresses"]:
			refs.addresses[address["key"]] = load_address(refs.customers[key], address)


def load_address(customer: str, row: dict) -> str:
	found = frappe.db.get_value(
		"HS Customer Address", {"customer": customer, "detail_address": row["detail_address"]}, "name"
	)
	if found:
		return found
	values = {k: v for k, v in row.items() if k != "key"}
	return insert("HS Customer Address", dict(values, customer=customer)).name


# --- bookings -------------------------------------------------------------------------------------
def load_bookings(
	rows: list[dict], refs: Refs, clock: Clock, commit_every: int = 0, cash: money.Money | None = None
) -> None:
	loaded = set(
		frappe.get_all(
			"HS Booking",
			filters={"idempotency_key": ("like", f"{BOOKING_KEY_PREFIX}%")},
			pluck="idempotency_key",
		)
	)
	todo = [row for row in rows if BOOKING_KEY_PREFIX + row["key"] not in loaded]
	if todo and cash is None:
		with money.providers() as cash:
			return load_bookings(todo, refs, clock, commit_every, cash)
	hold_minutes = frappe.db.get_single_value("HS Settings", "payment_hold_minutes") or 15
	has_inbox = bool(frappe.db.exists("DocType", "HS Message"))
	unheld = pending = 0
	for row in todo:  # sorted by creation, so booking numbers follow booking time
		unheld += not load_booking(row, refs, clock, hold_minutes, has_inbox, cash)
		pending += 1
		if commit_every and pending >= commit_every:
			commit()
			pending = 0
	if unheld:
		print(f"demo data: {unheld} upcoming bookings found no free technician to hold and wait for dispatch")


# --- final touches --------------------------------------------------------------------------------
def finish_customers(rows: list[dict], refs: Refs) -> None:
	"""Accounts frozen or blacklisted after their bookings."""
	for row in rows:
		name = refs.customers[row["key"]]
		if (
			row.get("status", "Active") != "Active"
			and frappe.db.get_value("HS Customer", name, "status") == "Active"
		):
			customer = frappe.get_doc("HS Customer", name)
			customer.status = row["status"]
			customer.flags.ignore_version = True
			customer.save(ignore_permissions=True)


def finish_technicians(rows: list[dict], refs: Refs, clock: Clock) -> None:
	"""Counters and live state that the platform keeps on the technician (read-only in the form)."""
	completed = dict(
		frappe.get_all(
			"HS Booking",
			filters={"status": Status.COMPLETED, "technician": ("is", "set")},
			fields=["technician", "count(name) as n"],
			group_by="technician",
			as_list=True,
		)
	)
	# where technicians with a visit in progress are: at (or on the way to) the customer
	busy = {
		row.technician: (row.latitude, row.longitude)
		for row in frappe.get_all(
			"HS Booking",
			filters={"status": ("in", (Status.ON_THE_WAY, Status.ARRIVED, Status.IN_SERVICE))},
			fields=["technician", "latitude", "longitude"],
		)
	}
	for row in rows:
		name = refs.technicians[row["key"]]
		values = {"completed_count": (row.get("completed_count") or 0) + completed.get(name, 0)}
		if name in busy:
			values["status"] = "Busy"
			values["current_latitude"], values["current_longitude"] = busy[name]
		elif row.get("status") == "Online":
			values["current_latitude"] = round(row["home_latitude"] + 0.004, 6)
			values["current_longitude"] = round(row["home_longitude"] - 0.003, 6)
		if name in busy or row.get("status") == "Online":
			values["location_updated_on"] = clock.now - timedelta(minutes=3)
		frappe.db.set_value("HS Technician", name, values, update_modified=False)
