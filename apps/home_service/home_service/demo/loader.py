"""The demo city (上海市): loads fixtures/*.json from the bench root into a site.

	bench --site home.localhost hs-load-demo [--path DIR] [--force]
	bench --site home.localhost execute home_service.demo.loader.load_if_missing   (what setup runs)

Every record goes through its DocType controller (validation, pricing, lifecycle), so the demo shows what
the app itself would have produced. Records are matched on natural keys (names, item codes, mobile numbers,
certificate numbers, the booking's idempotency key "demo:BK0001"), so running again only adds what is
missing. Demo logins use the password in fixtures/users.json ("demo1234").

Dates: the generator writes every date as seen on manifest["reference_now"]; the loader moves them by the
whole days between that day and today, so the bookings always span the last 60 and the next 7 days.
"""

import json
import os
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

import frappe
from frappe.model.document import Document
from frappe.utils import add_days, flt, get_bench_path, get_datetime, getdate, now_datetime

from home_service.booking.lifecycle import TIMESTAMP_FIELD, Status
from home_service.scheduling.availability import candidates_for, is_free, job_for_booking
from home_service.scheduling.calendar import calendars_around
from home_service.scheduling.holds import NoCapacityError
from home_service.scheduling.settings import get_settings

DEMO_MARKER = "hs_demo_loaded"
BOOKING_KEY_PREFIX = "demo:"
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
)
SUMMARY = (
	("HS Service Area", "areas"),
	("HS Service Item", "items"),
	("HS Technician", "technicians"),
	("HS Customer", "customers"),
	("HS Booking", "bookings"),
)
# who acts in a booking's timeline: staff roles are played by the demo staff logins
STAFF_ACTORS = {
	"HS Dispatcher": "dispatcher@demo.home",
	"HS Customer Service": "service@demo.home",
	"HS Finance": "finance@demo.home",
	"HS Operations Manager": "ops@demo.home",
}
TECHNICIAN_STATS = ("completed_count",)  # set after the bookings, which add to it
ORDER_CHANNEL_NOTES = {
	"WeChat Mini Program": "微信小程序下单",
	"Alipay Mini Program": "支付宝小程序下单",
	"H5": "H5页面下单",
	"Referral": "老客户推荐下单",
	"Offline": "客服电话代下单",
}


def default_path() -> str:
	return os.path.join(get_bench_path(), "fixtures")


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
	with loading_flags():
		refs = Refs()
		load_users(fixtures, refs)
		load_areas(fixtures["areas"])
		load_catalog(fixtures["catalog"])
		load_price_rules(fixtures["price_rules"])
		load_technicians(fixtures["technicians"], refs, clock)
		load_customers(fixtures["customers"], refs)
		commit()
		load_bookings(fixtures["bookings"], refs, clock, commit_every=COMMIT_EVERY)
		finish_customers(fixtures["customers"], refs)
		finish_technicians(fixtures["technicians"], refs, clock)
		frappe.db.set_default(DEMO_MARKER, str(now_datetime()))
		commit()


def commit() -> None:
	"""Commit a chunk of the load.

	One transaction for everything would be quadratic: Frappe keeps every pending realtime message in a
	list that it searches on each append until the commit. Every step is idempotent, so a load that
	stops half-way is completed by running it again (the marker is set only at the very end).
	"""
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
	previous = frappe.flags.mute_emails, frappe.flags.hs_no_dispatch_jobs
	# demo bookings arrive in their final states: a dispatch job per booking would only queue no-ops
	frappe.flags.mute_emails = frappe.flags.hs_no_dispatch_jobs = True
	try:
		yield
	finally:
		frappe.flags.mute_emails, frappe.flags.hs_no_dispatch_jobs = previous


def quiet(doc: Document) -> Document:
	"""Flags for a demo record on every save of this object."""
	doc.flags.ignore_version = True  # demo records have no edit history to show
	doc.flags.notify_update = False  # nobody has the demo open: no realtime messages per save
	doc.flags.notifications = []  # the demo's history is not news: no staff alerts or emails for it
	return doc


def insert(doctype: str, values: dict) -> Document:
	return quiet(frappe.get_doc({"doctype": doctype, **values})).insert(ignore_permissions=True)


class Clock:
	"""Moves fixture dates from the reference day to today, and keeps timelines out of the future."""

	def __init__(self, reference_now: str, now: datetime | None = None):
		self.reference = get_datetime(reference_now)
		self.now = now or now_datetime()
		# The reference day becomes the last day whose reference time has passed: loaded at 00:45,
		# before the fixture's 10:30, that is yesterday, so what the fixture has under way at 10:30 is
		# not still ahead (upcoming bookings would hold the technicians those jobs were given).
		since_midnight = self.reference - datetime.combine(self.reference.date(), datetime.min.time())
		self.days = ((self.now - since_midnight).date() - self.reference.date()).days

	def date(self, value: str | None):
		return add_days(getdate(value), self.days) if value else None

	def moment(self, value: str | None) -> datetime | None:
		return get_datetime(value) + timedelta(days=self.days) if value else None

	def booking_times(self, row: dict) -> list[datetime]:
		"""Creation time, then one time per step: in order and never after now."""
		raw = [row["created"], *(step[1] for step in row["steps"])]
		if row["status"] == Status.PENDING_PAYMENT:
			# still inside the payment hold: keep how many minutes ago it was booked
			shifted = [self.now - (self.reference - get_datetime(value)) for value in raw]
		else:
			shifted = [self.moment(value) for value in raw]
		times: list[datetime] = []
		for i, moment in enumerate(shifted):
			moment = min(moment, self.now - timedelta(seconds=30 * (len(shifted) - 1 - i) + 1))
			if times:
				moment = max(moment, times[-1] + timedelta(seconds=1))
			times.append(moment)
		return times


class Refs:
	"""Fixture keys (T001, C0001, C0001-A1) to document names, and the users linked to them."""

	def __init__(self):
		self.technicians: dict[str, str] = {}
		self.customers: dict[str, str] = {}
		self.addresses: dict[str, str] = {}
		self.linked_users: dict[tuple[str, str], str] = {}


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
def load_bookings(rows: list[dict], refs: Refs, clock: Clock, commit_every: int = 0) -> None:
	loaded = set(
		frappe.get_all(
			"HS Booking",
			filters={"idempotency_key": ("like", f"{BOOKING_KEY_PREFIX}%")},
			pluck="idempotency_key",
		)
	)
	hold_minutes = frappe.db.get_single_value("HS Settings", "payment_hold_minutes") or 15
	has_inbox = bool(frappe.db.exists("DocType", "HS Message"))
	unheld = pending = 0
	for row in rows:  # sorted by creation, so booking numbers follow booking time
		if BOOKING_KEY_PREFIX + row["key"] in loaded:
			continue
		unheld += not load_booking(row, refs, clock, hold_minutes, has_inbox)
		pending += 1
		if commit_every and pending >= commit_every:
			commit()
			pending = 0
	if unheld:
		print(f"demo data: {unheld} upcoming bookings found no free technician to hold and wait for dispatch")


def load_booking(row: dict, refs: Refs, clock: Clock, hold_minutes: int, has_inbox: bool = False) -> bool:
	"""Book as a customer would, walk the lifecycle to the booking's status, then set the real times.

	Returns False when an upcoming booking could not hold a technician's time.
	"""
	times = clock.booking_times(row)
	window_start = clock.moment(row["window_start"])
	# history holds nothing (its time was taken long ago); upcoming visits reserve a technician
	doc = new_booking(row, refs, window_start, hold=window_start > clock.now)
	held = True
	try:
		doc.insert(ignore_permissions=True)
	except NoCapacityError:
		# fully booked at that time: keep the booking unheld, as staff would after a phone order
		frappe.local.message_log = frappe.local.message_log[:-1]
		doc = new_booking(row, refs, window_start, hold=False)
		doc.insert(ignore_permissions=True)
		held = False
	inbox = Inbox(doc, clock, has_inbox)
	inbox.stamp(times[0])
	for step, at in zip(row["steps"], times[1:], strict=True):
		status, _, actor_role, note, *planned = step
		technician = None
		if status == Status.ASSIGNED:
			technician = assignable_technician(doc, refs.technicians[planned[0]])
			if technician != refs.technicians[planned[0]] and note and note.startswith("派单给"):
				note = "派单给" + frappe.get_cached_value("HS Technician", technician, "technician_name")
		prepare_step(doc, status, at, note, technician)
		location = {"latitude": doc.latitude, "longitude": doc.longitude} if status == Status.ARRIVED else {}
		doc.transition_to(status, note=note, actor_role=actor_role, **location)
		inbox.stamp(at)
	backdate_booking(doc, row, times, hold_minutes)
	inbox.backdate()
	return held


class Inbox:
	"""The in-app messages a demo login received about this booking, moved to the step that sent them."""

	def __init__(self, doc, clock: Clock, has_inbox: bool):
		self.doc, self.clock = doc, clock
		self.sent_at: dict[str, datetime] = {}
		# only customers with a login get messages
		self.active = has_inbox and bool(frappe.get_cached_value("HS Customer", doc.customer, "user"))

	def stamp(self, at: datetime) -> None:
		if not self.active:
			return
		for name in frappe.db.sql_list("select name from `tabHS Message` where booking = %s", self.doc.name):
			self.sent_at.setdefault(name, at)

	def backdate(self) -> None:
		# what is more than a day old has been read
		read_before = self.clock.now - timedelta(days=1)
		set_per_row(
			"HS Message",
			{
				name: {"creation": at, "modified": at}
				| ({"is_read": 1, "read_on": at + timedelta(minutes=20)} if at < read_before else {})
				for name, at in self.sent_at.items()
			},
		)


def new_booking(row: dict, refs: Refs, window_start: datetime, hold: bool) -> Document:
	doc = frappe.get_doc(
		{
			"doctype": "HS Booking",
			"customer": refs.customers[row["customer"]],
			"address": refs.addresses[row["address"]],
			"source_channel": row.get("source_channel"),
			"is_immediate": row.get("is_immediate", 0),
			"customer_note": row.get("customer_note"),
			"window_start": window_start,
			"items": [dict(line) for line in row["items"]],
			"idempotency_key": BOOKING_KEY_PREFIX + row["key"],
		}
	)
	doc.flags.hs_trusted = True  # keeps the idempotency key, a server-managed field
	doc.flags.skip_capacity_hold = not hold
	quiet(doc)
	doc.flags.hs_event = {
		"actor_role": "HS Customer Service" if row.get("source_channel") == "Offline" else "HS Customer",
		"note": ORDER_CHANNEL_NOTES.get(row.get("source_channel")),
	}
	return doc


def assignable_technician(doc, planned: str) -> str:
	"""Who dispatch would give this job to: the technician holding its time, else the planned one if the
	scheduler sees them free, else the nearest free technician (the scheduler refuses double bookings)."""
	if doc.get("held_technician"):
		return doc.held_technician
	job, start = job_for_booking(doc), get_datetime(doc.window_start)
	others = [c.name for c in candidates_for(job, start.date()) if c.name != planned]
	calendars = calendars_around([planned, *others], start)
	settings = get_settings()
	for name in (planned, *others):
		if is_free(calendars[name], start, job, settings, ignore=doc.name, check_hours=False):
			return name
	return planned  # the controller explains why nobody can take it


def prepare_step(doc, status: str, at: datetime, note: str | None, technician: str | None) -> None:
	"""What the payment, dispatch and refund services would have set before this status change."""
	if (
		status == Status.PENDING_DISPATCH
		and doc.status == Status.PENDING_PAYMENT
		and flt(doc.grand_total) > 0
	):
		doc.flags.hs_trusted = True  # payment fields are server-managed
		doc.payment_status = "Paid"
		doc.paid_amount = doc.grand_total
		doc.paid_on = at
	elif status == Status.PENDING_DISPATCH:
		doc.technician = None  # released or re-dispatched: the next technician is still to be found
	if status == Status.ASSIGNED:
		doc.technician = technician
	if status == Status.CANCELLED:
		# the fee the policy gave at that moment, not now (booking/cancellation.py)
		doc.flags.hs_cancel = frappe._dict(reason=note, at=at)
	if status == Status.EXCEPTION:
		doc.exception_reason = note
	if status == Status.REFUNDED:
		doc.flags.hs_trusted = True
		doc.refunded_amount = doc.paid_amount
		doc.payment_status = "Refunded"


def backdate_booking(doc, row: dict, times: list[datetime], hold_minutes: int) -> None:
	"""The controller stamps everything with the current time; put the demo's history at its real times.

	Direct updates on purpose: these are creation and event times, which no controller lets anyone edit.
	"""
	created = times[0]
	values = {
		"creation": created,
		"modified": times[-1],
		"payment_deadline": created + timedelta(minutes=hold_minutes),
	}
	for step, at in zip(row["steps"], times[1:], strict=True):
		field = TIMESTAMP_FIELD.get(step[0])
		if field:
			values[field] = at
	set_per_row("HS Booking", {doc.name: values})
	for child in ("HS Booking Item", "HS Booking Charge"):
		frappe.db.sql(  # nosemgrep: the table names are constants
			f"update `tab{child}` set creation = %(at)s, modified = %(at)s where parent = %(parent)s",
			{"at": created, "parent": doc.name},
		)
	backdate_events(doc, row, times)
	# the Desk timeline's version entries, one per save after the insert
	versions = frappe.db.sql_list(
		"""select name from `tabVersion` where ref_doctype = 'HS Booking' and docname = %s
		order by creation, name""",
		doc.name,
	)
	set_per_row(
		"Version",
		{name: {"creation": at, "modified": at} for name, at in zip(versions, times[1:], strict=False)},
	)


def backdate_events(doc, row: dict, times: list[datetime]) -> None:
	events = frappe.db.sql_list(
		"select name from `tabHS Booking Event` where booking = %s order by creation, name", doc.name
	)
	roles = [None, *(step[2] for step in row["steps"])]
	# the demo logins act in their own bookings' timelines
	demo_people = {
		"HS Customer": frappe.get_cached_value("HS Customer", doc.customer, "user"),
		"HS Technician": doc.technician and frappe.get_cached_value("HS Technician", doc.technician, "user"),
	}
	values = {}
	for name, at, role in zip(events, times, roles, strict=False):
		values[name] = {"timestamp": at, "creation": at, "modified": at}
		actor = STAFF_ACTORS.get(role) or demo_people.get(role)
		if actor:
			values[name]["actor"] = actor
	set_per_row("HS Booking Event", values)


def set_per_row(doctype: str, rows: dict[str, dict]) -> None:
	"""One UPDATE that gives each named row its own values."""
	if not rows:
		return
	params: dict = {"names": tuple(rows)}
	assignments = []
	for c, column in enumerate(sorted({column for values in rows.values() for column in values})):
		cases = []
		for r, (name, values) in enumerate(rows.items()):
			if column in values:
				params[f"n{r}"], params[f"v{c}_{r}"] = name, values[column]
				cases.append(f"when %(n{r})s then %(v{c}_{r})s")
		assignments.append(f"`{column}` = case `name` {' '.join(cases)} else `{column}` end")
	frappe.db.sql(  # nosemgrep: table and column names come from this module, values are parameters
		f"update `tab{doctype}` set {', '.join(assignments)} where `name` in %(names)s", params
	)


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
