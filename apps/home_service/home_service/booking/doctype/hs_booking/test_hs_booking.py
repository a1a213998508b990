# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt

from home_service.booking.lifecycle import (
	ALL_STATUSES,
	NEEDS_PAYMENT,
	NEEDS_TECHNICIAN,
	TRANSITIONS,
	InvalidTransitionError,
	Status,
	TransitionInvariantError,
	entering_unpaid,
)
from home_service.tests.factories import (
	advance,
	deactivate_price_rules,
	make_address,
	make_booking,
	make_customer,
	make_item,
	make_technician,
	mark_paid,
)


def events(booking: str) -> list[dict]:
	return frappe.get_all(
		"HS Booking Event",
		filters={"booking": booking},
		fields=["event_type", "from_status", "to_status", "to_state"],
		order_by="timestamp asc, creation asc",
	)


class TestBookingLifecycle(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		deactivate_price_rules()
		cls.item = make_item(base_price=120)

	def booking_at(self, status: str):
		return advance(make_booking(item=self.item), status)

	def test_new_booking_starts_pending_payment_with_a_created_event(self):
		doc = make_booking(item=self.item)
		self.assertEqual(doc.status, Status.PENDING_PAYMENT)
		self.assertEqual(doc.workflow_state, Status.PENDING_PAYMENT)
		self.assertEqual(flt(doc.grand_total), 120)
		self.assertTrue(doc.payment_deadline)
		self.assertTrue(doc.window_end > doc.window_start)
		self.assertEqual([e.event_type for e in events(doc.name)], ["Created"])

	def test_every_allowed_transition(self):
		for from_status, targets in TRANSITIONS.items():
			for to_status in targets:
				with self.subTest(f"{from_status} -> {to_status}"):
					doc = self.booking_at(from_status)
					before = len(events(doc.name))
					if entering_unpaid(doc, from_status, to_status):
						mark_paid(doc)
					if to_status == Status.REFUNDED and not doc.paid_amount:
						mark_paid(doc)
					if to_status in NEEDS_TECHNICIAN and not doc.technician:
						doc.technician = doc.held_technician or make_technician(areas=[doc.service_area])
					doc.transition_to(to_status, note="test")
					doc.reload()
					self.assertEqual(doc.status, to_status)
					self.assertEqual(doc.workflow_state, to_status)
					timeline = events(doc.name)
					self.assertEqual(len(timeline), before + 1)
					self.assertEqual(
						(timeline[-1].from_status, timeline[-1].to_status), (from_status, to_status)
					)

	def test_every_forbidden_transition_raises_and_changes_nothing(self):
		for from_status in ALL_STATUSES:
			doc = self.booking_at(from_status)
			before = len(events(doc.name))
			for to_status in set(ALL_STATUSES) - TRANSITIONS[from_status] - {from_status}:
				with self.subTest(f"{from_status} -> {to_status} (service path)"):
					self.assertRaises(InvalidTransitionError, doc.transition_to, to_status)
				with self.subTest(f"{from_status} -> {to_status} (direct save)"):
					stale = frappe.get_doc("HS Booking", doc.name)
					stale.status = to_status
					self.assertRaises(InvalidTransitionError, stale.save)
				doc.reload()
				self.assertEqual(doc.status, from_status)
			self.assertEqual(len(events(doc.name)), before)

	def test_forbidden_transition_message_is_translated(self):
		doc = make_booking(item=self.item)
		frappe.local.lang = "zh"
		try:
			with self.assertRaises(InvalidTransitionError) as ctx:
				doc.transition_to(Status.COMPLETED)
		finally:
			frappe.local.lang = "en"
		self.assertNotIn("cannot move", str(ctx.exception))

	def test_assignment_needs_a_technician(self):
		doc = self.booking_at(Status.PENDING_DISPATCH)
		self.assertRaises(TransitionInvariantError, doc.transition_to, Status.ASSIGNED)
		doc.reload()
		self.assertEqual(doc.status, Status.PENDING_DISPATCH)

	def test_unpaid_booking_cannot_be_dispatched(self):
		doc = make_booking(item=self.item)
		self.assertRaises(TransitionInvariantError, doc.transition_to, Status.PENDING_DISPATCH)

	def test_unpaid_booking_cannot_reach_dispatch_or_service_through_an_exception(self):
		"""Pending Payment -> Exception -> Re-dispatch (or any other way in) is the same rule."""
		for to_status in TRANSITIONS[Status.EXCEPTION] & NEEDS_PAYMENT:
			with self.subTest(to_status):
				doc = advance(make_booking(item=self.item), Status.EXCEPTION)
				self.assertEqual(doc.payment_status, "Unpaid")
				technician = make_technician(areas=[doc.service_area])  # not what stops it
				doc.technician = technician
				self.assertRaises(TransitionInvariantError, doc.transition_to, to_status)
				doc.reload()
				self.assertEqual(doc.status, Status.EXCEPTION)
				stale = frappe.get_doc("HS Booking", doc.name)  # a plain save is held to it too
				stale.update({"status": to_status, "technician": technician})
				self.assertRaises(TransitionInvariantError, stale.save)
				mark_paid(doc)
				doc.technician = technician
				doc.transition_to(to_status)
				self.assertEqual(doc.reload().status, to_status)

	def test_fully_refunded_booking_cannot_be_dispatched_again(self):
		doc = self.booking_at(Status.ASSIGNED)
		doc.transition_to(Status.EXCEPTION)
		doc.flags.hs_trusted = True
		doc.refunded_amount, doc.payment_status = doc.paid_amount, "Refunded"
		doc.save(ignore_permissions=True)
		self.assertRaises(TransitionInvariantError, doc.transition_to, Status.PENDING_DISPATCH)
		doc.reload()
		doc.flags.hs_trusted = True
		doc.payment_status = "Partially Refunded"  # part of the money is still held
		doc.transition_to(Status.PENDING_DISPATCH)
		self.assertEqual(doc.reload().status, Status.PENDING_DISPATCH)

	def test_free_booking_can_be_dispatched_without_payment(self):
		recycle = make_item(pricing_model="Recycling", specs=[{"spec_name": "废纸", "price": 1.2}])
		doc = make_booking(items=[{"service_item": recycle, "quantity": 10}])
		self.assertEqual(flt(doc.grand_total), 0)
		doc.transition_to(Status.PENDING_DISPATCH)
		self.assertEqual(doc.status, Status.PENDING_DISPATCH)

	def test_refund_needs_a_payment(self):
		doc = self.booking_at(Status.CANCELLED)
		self.assertRaises(TransitionInvariantError, doc.transition_to, Status.REFUNDED)

	def test_new_booking_cannot_start_completed(self):
		doc = frappe.get_doc(
			{
				"doctype": "HS Booking",
				"customer": make_customer(),
				"status": Status.COMPLETED,
				"window_start": "2030-01-01 10:00:00",
				"items": [{"service_item": self.item}],
			}
		)
		self.assertRaises(InvalidTransitionError, doc.insert, ignore_permissions=True)

	def test_status_timestamps_are_recorded(self):
		doc = self.booking_at(Status.PENDING_DISPATCH)
		doc.technician = doc.held_technician
		for status in (
			Status.ASSIGNED,
			Status.ON_THE_WAY,
			Status.ARRIVED,
			Status.IN_SERVICE,
			Status.AWAITING_CONFIRMATION,
			Status.COMPLETED,
		):
			doc.transition_to(status)
		for field in (
			"assigned_on",
			"departed_on",
			"arrived_on",
			"started_on",
			"finished_on",
			"completed_on",
		):
			self.assertTrue(doc.get(field), field)

	def test_server_managed_fields_cannot_be_set_by_a_plain_save(self):
		doc = make_booking(item=self.item)
		doc.paid_amount = 999
		doc.payment_status = "Paid"
		doc.save(ignore_permissions=True)
		doc.reload()
		self.assertEqual(flt(doc.paid_amount), 0)
		self.assertEqual(doc.payment_status, "Unpaid")

	def test_price_is_frozen_once_paid(self):
		doc = self.booking_at(Status.PENDING_DISPATCH)
		frappe.db.set_value("HS Service Item", self.item, "base_price", 500)
		frappe.clear_document_cache("HS Service Item", self.item)
		doc.customer_note = "请带鞋套"
		doc.save(ignore_permissions=True)
		self.assertEqual(flt(doc.grand_total), 120)
		frappe.db.set_value("HS Service Item", self.item, "base_price", 120)
		frappe.clear_document_cache("HS Service Item", self.item)

	def test_address_snapshot_survives_later_edits(self):
		customer = make_customer()
		address = make_address(customer)
		doc = make_booking(customer=customer, address=address, item=self.item)
		original = doc.address_display
		frappe.get_doc("HS Customer Address", address).update({"detail_address": "新地址 1号"}).save()
		doc.reload()
		self.assertEqual(doc.address_display, original)

	def test_address_must_belong_to_the_customer(self):
		other_address = make_address(make_customer())
		self.assertRaises(
			frappe.ValidationError,
			make_booking,
			customer=make_customer(),
			address=other_address,
			item=self.item,
		)

	def test_blacklisted_customer_cannot_book(self):
		customer = make_customer(status="Blacklisted")
		self.assertRaises(frappe.ValidationError, make_booking, customer=customer, item=self.item)

	def test_new_child_rows_get_their_defaults_and_a_save_builds_no_unused_row_template(self):
		doc = make_booking(item=self.item)
		frappe.local.new_doc_templates = {}
		doc.customer_note = "ring twice"
		doc.save(ignore_permissions=True)
		child_tables = {df.options for df in doc.meta.get_table_fields()}
		self.assertFalse(child_tables & set(frappe.local.new_doc_templates))
		doc.append("photos", {"image": "/files/before.jpg"})
		doc.append("extra_charges", {"description": "extra pipe", "amount": 30})
		doc.save(ignore_permissions=True)
		self.assertEqual(doc.photos[0].stage, "After")
		self.assertEqual(doc.extra_charges[0].status, "Proposed")
		self.assertEqual(
			set(frappe.local.new_doc_templates) & child_tables,
			{"HS Booking Photo", "HS Booking Extra Charge"},
		)

	def test_versions_as_frappe_keeps_them(self):
		def versions(name):
			return frappe.get_all(
				"Version", filters={"ref_doctype": "HS Booking", "docname": name}, pluck="data"
			)

		doc = make_booking(item=self.item)
		self.assertEqual(versions(doc.name), [])  # a plain insert keeps none
		doc.customer_note = "gate code 1234"
		doc.save(ignore_permissions=True, ignore_version=False)
		self.assertIn("gate code 1234", versions(doc.name)[0])
		imported = make_booking(
			item=self.item, flags={"updater_reference": {"doctype": "Data Import", "docname": "x"}}
		)
		self.assertIn("Data Import", versions(imported.name)[0])
