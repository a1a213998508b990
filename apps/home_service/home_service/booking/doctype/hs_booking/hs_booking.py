# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from datetime import timedelta

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import add_to_date, flt, get_datetime, now_datetime

from home_service.booking import cancellation, lifecycle, workflow
from home_service.booking.lifecycle import Status
from home_service.booking.numbering import next_booking_name
from home_service.booking.timeline import append_event
from home_service.catalog.pricing import compute_quote
from home_service.scheduling.availability import SchedulingError, job_for_booking
from home_service.scheduling.calendar import ASSIGNED_STATUSES, HELD_STATUSES, LONGEST_VISIT
from home_service.scheduling.holds import assert_assignable, assert_eligible, hold_technician
from home_service.scheduling.settings import get_settings
from home_service.utils.links import read_link, set_fetched
from home_service.utils.money import ZERO, money

# what a booking copies from (and checks on) its address
ADDRESS_FIELDS = (
	"name",
	"customer",
	"contact_name",
	"contact_phone",
	"address_display",
	"latitude",
	"longitude",
	"service_area",
)
# what a new booking checks on its customer (besides what it fetches from them)
CUSTOMER_COLUMNS = ("status",)
# Only trusted server code (payment, refund and dispatch services) changes these.
SERVER_MANAGED_FIELDS = (
	"extra_total",
	"payment_status",
	"paid_amount",
	"refunded_amount",
	"cancellation_fee",
	"paid_on",
	"points_used",
	"points_deduction",
	"discount_amount",
	"coupon_code",
	"idempotency_key",
	"revisit_of",
)


class HSBooking(Document):
	# `_set_defaults` and `save_version` are Frappe v15's, made leaner by home_service.compat

	def autoname(self):
		self.name = next_booking_name(self.creation)

	def before_insert(self):
		# price and locate first: the capacity hold needs the duration and the place
		self.validate_customer_and_address()
		self.set_address_snapshot()
		self.price_if_open()
		self.set_window()
		self.hold_capacity()

	def validate(self):
		self.guard_server_managed_fields()
		if not self.flags.in_insert:
			self.validate_customer_and_address()
			self.set_address_snapshot()
			self.price_if_open()
			self.set_window()
		self.validate_status_change()
		if self.entering(Status.CANCELLED):
			cancellation.prepare(self)
		self.validate_schedule()
		self.set_status_timestamps()

	def on_update(self):
		self.record_event()
		if self.entering(Status.CANCELLED):
			cancellation.finish(self)
		self.close_stale_workflow_actions()
		self.start_dispatch_when_ready()

	def close_stale_workflow_actions(self):
		"""Frappe completes an open Workflow Action only when the user who moves the booking holds one
		of its roles; a technician's progress, a payment or a dispatch job holds none, and the
		dispatcher's "Depart" would stay on their list for good. A state left is a to-do done."""
		if not self.get_doc_before_save() or not self.has_value_changed("workflow_state"):
			return
		action = DocType("Workflow Action")
		frappe.qb.update(action).set(action.status, "Completed").set(
			action.completed_by, frappe.session.user
		).where(
			(action.reference_doctype == self.doctype)
			& (action.reference_name == self.name)
			& (action.status == "Open")
			& (action.workflow_state != self.workflow_state)
		).run()

	def start_dispatch_when_ready(self):
		if (
			self.status == Status.PENDING_DISPATCH
			and self.has_value_changed("status")
			and not self.technician
			and not self.needs_manual_dispatch
			and not frappe.flags.hs_no_dispatch_jobs
		):
			frappe.enqueue(
				"home_service.dispatch.engine.dispatch_booking",
				booking=self.name,
				queue="short",
				job_id=f"hs-dispatch::{self.name}",
				deduplicate=True,
				enqueue_after_commit=True,
			)

	# --- lifecycle --------------------------------------------------------------------------
	def entering(self, status: str) -> bool:
		"""This save moves the booking into `status` (from another status)."""
		previous = self.get_doc_before_save()
		return self.status == status and previous is not None and previous.status != status

	def take_step(self, status: str, **event) -> bool:
		"""A person's step towards `status` through the API, along the site's Workflow
		(booking/workflow.py): it may stop in a state an administrator added before `status`, and
		is refused (409) where the Workflow has no way there. False when the booking is already where
		the step leads (a repeated request): nothing changes. `event`: what `transition_to` records
		(note, actor_role, latitude, longitude)."""
		if workflow.already_taken(self, status):
			return False
		state = workflow.step_state(self, status)
		self.transition_to(workflow.status_of_state(state) or status, state=state, **event)
		return True

	def transition_to(
		self,
		status: str,
		note: str | None = None,
		actor_role: str | None = None,
		latitude: float | None = None,
		longitude: float | None = None,
		state: str | None = None,
	):
		"""The single code path for status changes outside the Desk workflow buttons: a system move
		shows the category's own Workflow state, a person's step (`take_step`) the `state` it took."""
		lifecycle.assert_allowed(self.status, status)
		self.status = status
		self.workflow_state = state or workflow.state_for_status(status, self.workflow_state)
		self.flags.hs_system_transition = True
		self.flags.hs_event = {
			"note": note,
			"actor_role": actor_role,
			"latitude": latitude,
			"longitude": longitude,
		}
		self.save(ignore_permissions=True)
		return self

	def validate_workflow(self):
		# status changes made by our services are checked by the lifecycle map, not by Desk roles
		if self.flags.hs_system_transition:
			return
		super().validate_workflow()

	def validate_status_change(self):
		previous = self.get_doc_before_save()
		from_status = previous.status if previous else None
		if from_status is None:
			if self.status not in (Status.PENDING_PAYMENT, Status.PENDING_DISPATCH):
				frappe.throw(
					_("A new booking starts as {0}.").format(_(Status.PENDING_PAYMENT)),
					lifecycle.InvalidTransitionError,
				)
			if self.status == Status.PENDING_DISPATCH and flt(self.grand_total) > 0:
				lifecycle.assert_invariants(self, Status.PENDING_PAYMENT, Status.PENDING_DISPATCH)
			return
		if from_status != self.status:
			lifecycle.assert_allowed(from_status, self.status)
			lifecycle.assert_invariants(self, from_status, self.status)
		elif self.status in lifecycle.NEEDS_TECHNICIAN and not self.technician:
			lifecycle.assert_invariants(self, from_status, self.status)

	def set_status_timestamps(self):
		if not self.has_value_changed("status"):
			return
		field = lifecycle.TIMESTAMP_FIELD.get(self.status)
		if field:
			self.set(field, now_datetime())

	def record_event(self):
		previous = self.get_doc_before_save()
		if previous and not (self.has_value_changed("status") or self.has_value_changed("workflow_state")):
			return
		extra = self.flags.hs_event or {}
		append_event(
			self.name,
			"Status Change" if previous else "Created",
			actor_role=extra.get("actor_role") or _acting_role(),
			from_status=previous.status if previous else None,
			to_status=self.status,
			from_state=previous.workflow_state if previous else None,
			to_state=self.workflow_state,
			note=extra.get("note"),
			latitude=extra.get("latitude"),
			longitude=extra.get("longitude"),
		)
		self.flags.hs_event = None

	# --- technician time --------------------------------------------------------------------
	def hold_capacity(self):
		"""A new booking reserves a free technician's time until it is paid and dispatched."""
		if self.flags.skip_capacity_hold or self.status not in HELD_STATUSES:
			return
		if get_datetime(self.window_start) < now_datetime() - timedelta(minutes=5) and not self.is_immediate:
			frappe.throw(_("The arrival window has already started."), SchedulingError)
		if self.flags.hs_hold_after_insert:
			return  # the caller calls hold_capacity_now() as its last write (see that method)
		self.held_technician = self.reserve_technician()

	def hold_capacity_now(self):
		"""The deferred hold of a booking just inserted with `flags.hs_hold_after_insert`.

		The hold locks the technician rows until commit; taking it after the insert and its hooks
		(events, workflow actions, notifications) keeps that lock for milliseconds, not the whole
		request, so bookings for the same technicians are not made one at a time.
		"""
		if not self.flags.hs_hold_after_insert:
			return
		self.flags.hs_hold_after_insert = False
		self.held_technician = self.reserve_technician()
		# a plain update: db_set would reload the booking and evaluate every Value Change
		# notification for a field that none of them watches
		booking = DocType("HS Booking")
		frappe.qb.update(booking).set(booking.held_technician, self.held_technician).where(
			booking.name == self.name
		).run()

	def reserve_technician(self) -> str:
		"""Lock and return a technician free for this booking (held until commit)."""
		return hold_technician(
			job_for_booking(self), self.window_start, immediate=self.is_immediate, booking=self.name
		)

	def validate_schedule(self):
		previous = self.get_doc_before_save()
		if (
			previous
			and self.status == Status.PENDING_DISPATCH
			and previous.status in (Status.ASSIGNED, Status.EXCEPTION)
		):
			# released back to dispatch: a fresh start without the previous technician
			self.technician, self.dispatch_round, self.needs_manual_dispatch = None, 0, 0
		if self.status in ASSIGNED_STATUSES and self.technician:
			moved = previous is None or any(
				str(previous.get(f) or "") != str(self.get(f) or "") for f in ("technician", "window_start")
			)
			newly_given = (
				previous is None
				or previous.technician != self.technician
				or previous.status not in ASSIGNED_STATUSES
			)
			if newly_given and not self.flags.hs_system_transition:
				# a person chose the technician in the booking form: one dispatch could have offered it to
				assert_eligible(job_for_booking(self), self.technician, self.window_start)
			if moved or previous.status not in ASSIGNED_STATUSES:
				assert_assignable(
					job_for_booking(self), self.technician, self.window_start, booking=self.name
				)
			self.held_technician = None
		elif self.status not in HELD_STATUSES:
			self.held_technician = None
		elif previous and self.has_value_changed("window_start") and not self.flags.skip_capacity_hold:
			self.held_technician = None
			self.hold_capacity()

	# --- data -------------------------------------------------------------------------------
	def guard_server_managed_fields(self):
		if self.flags.hs_trusted:
			return
		previous = self.get_doc_before_save()
		for field in SERVER_MANAGED_FIELDS:
			self.set(field, previous.get(field) if previous else self.meta.get_field(field).default)

	def validate_customer_and_address(self):
		if self.is_new():
			# checked here, not only by link validation: the booking service inserts without it
			customer = self.customer_row()
			if not customer:
				frappe.throw(_("Customer {0} not found.").format(self.customer), frappe.DoesNotExistError)
			if customer.status and customer.status != "Active":
				frappe.throw(
					_("Customer {0} is {1} and cannot book.").format(self.customer, _(customer.status))
				)
		# a status change (most saves) leaves both alone: nothing to read again
		changed = self.is_new() or self.has_value_changed("address") or self.has_value_changed("customer")
		if self.address and changed:
			address = self.address_doc()
			if not address or address.customer != self.customer:
				frappe.throw(
					_("Address {0} does not belong to customer {1}.").format(self.address, self.customer)
				)

	def set_address_snapshot(self):
		"""The booking keeps the address as it was when booked, even if the customer edits it later."""
		if not self.address or not (self.is_new() or self.has_value_changed("address")):
			return
		address = self.address_doc()
		self.contact_name = self.contact_name or address.contact_name
		self.contact_phone = self.contact_phone or address.contact_phone
		self.address_display = address.address_display
		self.latitude, self.longitude = address.latitude, address.longitude
		self.service_area = address.service_area

	def customer_row(self) -> frappe._dict | None:
		"""The customer's status and what the booking fetches from them, as the caller read them
		(flags.hs_loaded.customer, with `CUSTOMER_COLUMNS`) or from the database; None if unknown."""
		loaded = (self.flags.hs_loaded or {}).get("customer")
		if loaded is not None and loaded.name == self.customer:
			set_fetched(self, "customer", loaded)
			return loaded
		return read_link(self, "customer", CUSTOMER_COLUMNS)

	def address_doc(self):
		"""The booking's address, as the caller loaded it (flags.hs_loaded.address) or from the
		database; None when there is no such address."""
		self.flags.hs_loaded = loaded = self.flags.hs_loaded or frappe._dict()
		if loaded.address is None or loaded.address.name != self.address:
			loaded.address = frappe.db.get_value(
				"HS Customer Address", self.address, ADDRESS_FIELDS, as_dict=True
			)
		return loaded.address

	def set_window(self):
		if not self.window_start:
			return
		settings = get_settings()
		if not self.window_end or (self.has_value_changed("window_start") and not self.is_new()):
			self.window_end = get_datetime(self.window_start) + settings.window
		if get_datetime(self.window_end) <= get_datetime(self.window_start):
			frappe.throw(_("The arrival window must end after it starts."))
		if timedelta(minutes=int(self.duration_minutes or 0)) > LONGEST_VISIT:
			frappe.throw(
				_("One visit can last at most {0} hours; please book the work as several visits.").format(
					int(LONGEST_VISIT.total_seconds() // 3600)
				),
				SchedulingError,
			)
		self.service_end = add_to_date(
			get_datetime(self.window_start), minutes=int(self.duration_minutes or 0)
		)
		if self.is_new() and self.status == Status.PENDING_PAYMENT and not self.payment_deadline:
			self.payment_deadline = now_datetime() + settings.hold

	def price_if_open(self):
		"""Prices are computed by the server while the booking is unpaid, then frozen.

		The save that records the payment must not re-price: the amount was just paid, and rewriting
		the charge rows would also take gap locks that deadlock with other bookings being paid.
		"""
		if not self.is_new() and (
			self.get_doc_before_save().status != Status.PENDING_PAYMENT
			or self.status != Status.PENDING_PAYMENT
		):
			return
		quote = compute_quote(
			[{"service_item": i.service_item, "spec": i.spec, "quantity": i.quantity} for i in self.items],
			self.window_start,
			service_area=self.service_area,
			latitude=self.latitude,
			longitude=self.longitude,
		)
		for row, line in zip(self.items, quote.lines, strict=True):
			row.item_name, row.pricing_model, row.unit = line.item_name, line.pricing_model, line.unit
			row.spec = line.spec
			row.quantity, row.rate, row.amount = line.quantity, line.rate, line.amount
			row.duration_minutes = line.duration_minutes
		self.set("charges", [])
		for charge in quote.charges:
			self.append(
				"charges",
				{
					"charge_type": charge.charge_type,
					"description": charge.description,
					"amount": charge.amount,
				},
			)
		self.items_total = quote.items_total
		self.surcharge_total = quote.surcharge_total
		deductions = money(self.discount_amount) + money(self.points_deduction)
		self.grand_total = max(quote.grand_total - deductions, ZERO)
		if self.revisit_of:
			self.grand_total = ZERO  # a warranty re-visit (quality/service.py) is free
		self.duration_minutes = quote.duration_minutes
		self.service_category = quote.lines[0].category


def on_doctype_update():
	# the scheduling queries (and their locking reads) look bookings up by technician and time
	frappe.db.add_index("HS Booking", ["technician", "window_start"])
	frappe.db.add_index("HS Booking", ["held_technician", "window_start"])
	frappe.db.add_index("HS Booking", ["customer", "creation"])
	frappe.db.add_index("HS Booking", ["customer", "status"])
	frappe.db.add_unique(
		"HS Booking", ["customer", "idempotency_key"], constraint_name="unique_customer_idempotency_key"
	)


def _acting_role() -> str:
	roles = set(frappe.get_roles())
	for role in (
		"HS Operations Manager",
		"HS Dispatcher",
		"HS Customer Service",
		"HS Finance",
		"HS Technician",
		"HS Customer",
		"System Manager",
	):
		if role in roles:
			return role
	return "System"
