"""A demo booking's history, replayed as the app would have lived it (see loader.py for the whole load).

The booking is made as a customer makes one, then each step of its fixture is taken by the service
that takes it in the app: payments and refunds by the money services against the provider fakes
(demo/money.py), a booking still being offered by the dispatch engine, the rest by the lifecycle.
Afterwards every time is set to the step's moment in the fixture.
"""

from datetime import datetime, timedelta

import frappe
from frappe.model.document import Document
from frappe.utils import flt, get_datetime

from home_service.billing.payments import settle_free_booking
from home_service.billing.recycling import RECORDABLE, is_recycling_booking
from home_service.booking.lifecycle import TIMESTAMP_FIELD, Status
from home_service.demo import money
from home_service.demo.records import Clock, Refs, quiet, set_per_row
from home_service.dispatch.engine import dispatch_booking
from home_service.scheduling.availability import candidates_for, is_free, job_for_booking
from home_service.scheduling.calendar import calendars_around
from home_service.scheduling.holds import NoCapacityError
from home_service.scheduling.settings import get_settings

BOOKING_KEY_PREFIX = "demo:"
# who acts in a booking's timeline: staff roles are played by the demo staff logins
STAFF_ACTORS = {
	"HS Dispatcher": "dispatcher@demo.home",
	"HS Customer Service": "service@demo.home",
	"HS Finance": "finance@demo.home",
	"HS Operations Manager": "ops@demo.home",
}
ORDER_CHANNEL_NOTES = {
	"WeChat Mini Program": "微信小程序下单",
	"Alipay Mini Program": "支付宝小程序下单",
	"H5": "H5页面下单",
	"Referral": "老客户推荐下单",
	"Offline": "客服电话代下单",
}


def load_booking(
	row: dict, refs: Refs, clock: Clock, hold_minutes: int, has_inbox: bool, cash: money.Money
) -> bool:
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
	walk = Walk(doc, row, refs, cash, times)
	for index, at in enumerate(times[1:]):
		walk.step(index, at)
		inbox.stamp(at)
	backdate_booking(walk.doc, row, times, walk.event_times, hold_minutes, walk.paid_at)
	inbox.backdate()
	offline = cash.offline.get(row["key"])
	if offline and offline.pending:
		# paid to staff minutes after booking, the record still waits for finance (the booking is held)
		cash.pay_offline(
			doc.name, row["key"], offline, times[0], min(times[0] + timedelta(minutes=4), clock.now)
		)
	return held


class Walk:
	"""One booking's history, step by step, as the app takes each step (see demo/money.py for the
	steps that move money); `event_times` collects the moment of every timeline event it causes."""

	def __init__(self, doc, row: dict, refs: Refs, cash: money.Money, times: list[datetime]):
		self.doc, self.row, self.refs, self.cash, self.times = doc, row, refs, cash, times
		self.event_times = [None]  # the booking's creation, set from the fixture
		self.paid_at: datetime | None = None
		self.recycling = is_recycling_booking(doc)

	def step(self, index: int, at: datetime) -> None:
		steps = self.row["steps"]
		status, _, actor_role, note, *planned = steps[index]
		following = steps[index + 1][0] if index + 1 < len(steps) else None
		doc = self.doc
		paying = status == Status.PENDING_DISPATCH and doc.status == Status.PENDING_PAYMENT
		by_service = paying or status == Status.REFUNDED or (status == Status.OFFERED and not following)
		weighs = status in RECORDABLE and self.recycling and following not in RECORDABLE
		if not (by_service or weighs or status in (Status.CANCELLED, Status.COMPLETED)):
			self.transition(status, actor_role, note, planned, at)
			self.count_events(at)
			return
		with self.cash.stamps.at(at):
			if paying:
				self.pay(note, since=self.times[index], at=at)
			elif status == Status.REFUNDED:
				self.cash.refund_rest(doc.name, money.refund_reason(doc.status, note))
			elif status == Status.OFFERED:
				dispatch_booking(doc.name)  # still being offered: the engine's offers, which time out
			else:
				self.transition(status, actor_role, note, planned, at)
				if status == Status.CANCELLED and following != Status.REFUNDED:
					self.cash.submit_refunds(doc.name)  # the refund job, as soon as the cancel commits
				if weighs:
					weights = money.pickup_weights(self.row["items"], self.row["key"])
					self.cash.record_pickup(doc, at, weights, by_transfer=switches(self.row, 2))
		if by_service or status == Status.CANCELLED:
			self.doc = reloaded(doc)
		if paying:
			# paid when its payment was captured, as billing has it (moved to this step with the payment)
			self.paid_at = self.captured_on() or at
		if status == Status.REFUNDED and self.doc.status != Status.REFUNDED:
			# refunded from an exception: the refund leaves the booking's status to staff
			self.transition(status, actor_role, note, planned, at)
		self.count_events(at)

	def pay(self, note: str | None, since: datetime, at: datetime) -> None:
		offline = self.cash.offline.get(self.row["key"])
		if flt(self.doc.grand_total) > 0 and offline:
			# a phone order paid to staff between booking and `at` (demo/money.py)
			self.cash.pay_offline(self.doc.name, self.row["key"], offline, since, at)
		elif flt(self.doc.grand_total) > 0:
			self.cash.pay(self.doc.name, self.cash.gateway_of(note), switched=switches(self.row))
		else:
			settle_free_booking(self.doc)  # a recycling pickup costs the customer nothing

	def captured_on(self) -> datetime | None:
		return frappe.db.get_value("HS Payment", {"booking": self.doc.name, "status": "Paid"}, "paid_on")

	def transition(self, status: str, actor_role: str, note: str | None, planned: list, at: datetime) -> None:
		doc = self.doc
		technician = None
		if status == Status.ASSIGNED:
			technician = assignable_technician(doc, self.refs.technicians[planned[0]])
			if technician != self.refs.technicians[planned[0]] and note and note.startswith("派单给"):
				note = "派单给" + frappe.get_cached_value("HS Technician", technician, "technician_name")
		prepare_step(doc, status, note, technician, at)
		location = {"latitude": doc.latitude, "longitude": doc.longitude} if status == Status.ARRIVED else {}
		doc.transition_to(status, note=note, actor_role=actor_role, **location)

	def count_events(self, at: datetime) -> None:
		"""Each event this step caused (none for a repeated step, two for a cancel and its refund)."""
		made = frappe.db.count("HS Booking Event", {"booking": self.doc.name}) - len(self.event_times)
		self.event_times += [at + timedelta(seconds=n) for n in range(made)]


def switches(row: dict, every: int = money.SWITCH_EVERY) -> bool:
	"""One booking in `every`, the same on every load: a customer's second thought (another payment
	method first, a transfer instead of the wallet)."""
	return int(row["key"][2:]) % every == 0


def reloaded(doc) -> Document:
	"""The booking as the services left it (they save their own copy)."""
	return quiet(frappe.get_doc("HS Booking", doc.name))


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


def prepare_step(doc, status: str, note: str | None, technician: str | None, at: datetime) -> None:
	"""What the dispatch and cancellation services would have set before this status change (payments
	and refunds are the money services' own steps, demo/money.py)."""
	if status == Status.PENDING_DISPATCH:
		doc.technician = None  # released or re-dispatched: the next technician is still to be found
	if status == Status.ASSIGNED:
		doc.technician = technician
	if status == Status.CANCELLED:
		# the fee the policy gave at that moment, not now (booking/cancellation.py)
		doc.flags.hs_cancel = frappe._dict(reason=note, at=at)
	if status == Status.EXCEPTION:
		doc.exception_reason = note


def backdate_booking(
	doc, row: dict, times: list[datetime], event_times: list, hold_minutes: int, paid_at: datetime | None
) -> None:
	"""The controller stamps everything with the current time; put the demo's history at its real times.

	Direct updates on purpose: these are creation and event times, which no controller lets anyone edit.
	"""
	created = times[0]
	event_times = [created, *event_times[1:]]
	values = {
		"creation": created,
		"modified": event_times[-1],
		"payment_deadline": created + timedelta(minutes=hold_minutes),
	}
	if paid_at:
		values["paid_on"] = paid_at
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
	backdate_events(doc, event_times)
	# the Desk timeline's version entries, one per save after the insert
	versions = frappe.db.sql_list(
		"""select name from `tabVersion` where ref_doctype = 'HS Booking' and docname = %s
		order by creation, name""",
		doc.name,
	)
	set_per_row(
		"Version",
		{name: {"creation": at, "modified": at} for name, at in zip(versions, event_times[1:], strict=False)},
	)


def backdate_events(doc, event_times: list[datetime]) -> None:
	events = frappe.db.sql(
		"select name, actor_role from `tabHS Booking Event` where booking = %s order by creation, name",
		doc.name,
	)
	# the demo logins act in their own bookings' timelines
	demo_people = {
		"HS Customer": frappe.get_cached_value("HS Customer", doc.customer, "user"),
		"HS Technician": doc.technician and frappe.get_cached_value("HS Technician", doc.technician, "user"),
	}
	values = {}
	for (name, role), at in zip(events, event_times, strict=False):
		values[name] = {"timestamp": at, "creation": at, "modified": at}
		actor = STAFF_ACTORS.get(role) or demo_people.get(role)
		if actor:
			values[name]["actor"] = actor
	set_per_row("HS Booking Event", values)
