# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The customer booking methods, called as a logged-in customer."""

from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.utils import add_to_date, now_datetime

from home_service.api.customer import booking_parsing, bookings
from home_service.api.customer.scope import ConflictError
from home_service.booking import extras, policy
from home_service.booking.lifecycle import Status
from home_service.scheduling.availability import SchedulingError
from home_service.scheduling.holds import NoCapacityError, TechnicianBusyError
from home_service.tests.customer_fixtures import CustomerTestCase, api
from home_service.tests.factories import make_address, make_customer
from home_service.tests.scheduling_fixtures import apply_settings, at, day_after
from home_service.utils.text import InvalidInputError

CANCELLED_HOOK_CALLS = []


def record_cancellation(doc, fee):
	CANCELLED_HOOK_CALLS.append((doc.name, fee))


class TestBookingFlow(CustomerTestCase):
	def create(self, hour: int = 10, key: str = "key-00000001", **kw):
		payload = {
			"items": self.corner.items(),
			"address": self.address,
			"window_start": str(at(self.day, hour)),
			"idempotency_key": key,
			**kw,
		}
		with self.as_customer():
			return api("customer.bookings.create_booking", **payload)

	def test_slots_quote_create_and_idempotent_retry(self):
		with self.as_customer():
			slots = bookings.get_slots(
				item=self.corner.item, address=self.address, date_from=str(self.day), date_to=str(self.day)
			)
			windows = {w["start"][11:16]: w["available"] for w in slots["days"][0]["windows"]}
			self.assertEqual(
				windows,
				{"08:00": True, "10:00": True, "12:00": True, "14:00": True, "16:00": True, "18:00": False},
			)
			quote = bookings.get_quote(
				items=self.corner.items(2), address=self.address, window_start=str(at(self.day, 10))
			)
			self.assertEqual(quote["grand_total"], "200.00")
			self.assertEqual([c["amount"] for c in quote["charges"]], ["200.00"])

		created = self.create(note="请带鞋套")
		self.assertEqual(created["status"], Status.PENDING_PAYMENT)
		self.assertEqual(created["grand_total"], "100.00")
		self.assertFalse(created["replayed"])
		self.assertTrue(created["payment_deadline"])
		again = self.create(hour=14)  # a retry: the same key returns the first booking, whatever it says
		self.assertEqual(again["booking"], created["booking"])
		self.assertTrue(again["replayed"])
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), 1)
		doc = frappe.get_doc("HS Booking", created["booking"])
		self.assertEqual((doc.customer_note, doc.held_technician), ("请带鞋套", self.tech))

	def test_slots_show_the_capacity_left(self):
		def windows():
			with self.as_customer():
				slots = bookings.get_slots(
					item=self.corner.item,
					address=self.address,
					date_from=str(self.day),
					date_to=str(self.day),
				)
			return {w["start"][11:16]: (w["capacity"], w["available"]) for w in slots["days"][0]["windows"]}

		self.corner.technician()  # two technicians work here now
		self.assertEqual(
			windows(),
			{
				"08:00": (2, True),
				"10:00": (2, True),
				"12:00": (2, True),
				"14:00": (2, True),
				"16:00": (2, True),
				"18:00": (0, False),  # would end after working hours
			},
		)
		self.book(10)  # holds one of them for 10:00-11:00
		self.assertEqual(windows()["10:00"], (1, True))
		self.assertEqual(windows()["12:00"], (2, True))  # 11:00 + 30 minutes of travel: free again
		self.book(10)
		self.assertEqual(windows()["10:00"], (0, False))
		with patch.object(bookings, "MAX_SHOWN_CAPACITY", 1):
			self.assertEqual(windows()["12:00"], (1, True))  # capped: 2 free, 1 shown

	def test_the_idempotency_key_may_come_as_a_header(self):
		with patch.object(booking_parsing, "request_header", lambda name: "header-key-1"):
			created = self.create(key=None)
		self.assertEqual(
			frappe.db.get_value("HS Booking", created["booking"], "idempotency_key"), "header-key-1"
		)

	def test_the_channel_is_the_login_client_not_the_request(self):
		from home_service.access.tokens import _hash, issue_token

		token = issue_token(self.user, "Alipay Mini Program")["token"]
		frappe.local.hs_token_hash = _hash(token)
		try:
			created = self.create(source_channel="Offline")
		finally:
			del frappe.local.hs_token_hash
		channel = frappe.db.get_value("HS Booking", created["booking"], "source_channel")
		self.assertEqual(channel, "Alipay Mini Program")

	def test_create_refuses_bad_input(self):
		for kw in (
			{"key": None},  # no idempotency key
			{"key": "short"},
			{"key": "bad key with spaces"},
			{"items": []},
			{"items": [{"service_item": self.corner.item, "quantity": -1}]},
			{"items": [{"service_item": self.corner.item, "quantity": "1e9"}]},
			{"items": [{"service_item": self.corner.item, "quantity": True}]},
			{"items": [{"service_item": ["x"]}]},
			{"note": "x" * 501},
			{"note": "<script>alert(1)</script>"},
		):
			with self.subTest(kw=kw):
				self.assertRaises(InvalidInputError, self.create, **kw)
		for window in ("2026-13-45 10:00:00", "not a date", str(at(self.day, 10).replace(minute=17))):
			with self.subTest(window=window):
				self.assertRaises(
					(InvalidInputError, SchedulingError), self.create, window_start=window, key="key-00000002"
				)
		too_soon = add_to_date(now_datetime(), minutes=30).replace(minute=0, second=0, microsecond=0)
		self.assertRaises(SchedulingError, self.create, window_start=str(too_soon), key="key-00000003")
		self.assertRaises(frappe.exceptions.FrappeTypeError, self.create, items="not a list")
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), 0)

	def test_create_refuses_a_window_beyond_the_booking_horizon(self):
		last = day_after(7)  # booking_horizon_days is 7 in the test settings
		with self.assertRaises(SchedulingError) as raised:
			self.create(window_start=str(at(last + timedelta(days=1), 10)), key="key-horizon-1")
		self.assertEqual(raised.exception.http_status_code, 422)
		self.assertIn("too far ahead", str(raised.exception))
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), 0)
		self.assertEqual(
			self.create(window_start=str(at(last, 10)), key="key-horizon-2")["status"], Status.PENDING_PAYMENT
		)
		apply_settings({"booking_horizon_days": 8})  # the horizon is the setting's
		self.create(window_start=str(at(last + timedelta(days=1), 10)), key="key-horizon-3")
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), 2)

	def test_server_managed_fields_in_the_request_are_ignored(self):
		created = self.create(
			items=[{"service_item": self.corner.item, "quantity": 1, "rate": 0.01, "amount": 0.01}],
			status="Completed",
			grand_total=1,
			technician=self.tech,
			payment_status="Paid",
			customer="HS-CU-99999",
			owner="Administrator",
			docstatus=1,
		)
		doc = frappe.get_doc("HS Booking", created["booking"])
		self.assertEqual(
			(doc.status, doc.payment_status, doc.technician), (Status.PENDING_PAYMENT, "Unpaid", None)
		)
		self.assertEqual((float(doc.grand_total), doc.customer), (100.0, self.customer))

	def test_no_capacity_is_a_conflict(self):
		self.create(hour=10, key="key-first-1")
		self.assertRaises(NoCapacityError, self.create, hour=10, key="key-second-2")

	def test_only_my_address_books_and_a_retry_is_answered_whatever_its_address(self):
		someone_elses = make_address(make_customer())
		self.assertRaises(frappe.DoesNotExistError, self.create, address=someone_elses)
		self.assertRaises(frappe.DoesNotExistError, self.create, address="no-such-address")
		self.assertRaises(InvalidInputError, self.create, address=" ")
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), 0)
		created = self.create()
		for address in (someone_elses, "no-such-address", " ", "x" * 300):
			again = self.create(address=address)
			self.assertEqual((again["booking"], again["replayed"]), (created["booking"], True))
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), 1)

	def test_the_booking_carries_the_customer_read_with_the_request(self):
		created = self.create()
		stored = frappe.db.get_value("HS Booking", created["booking"], ["customer", "customer_name"])
		self.assertEqual(
			stored, (self.customer, frappe.db.get_value("HS Customer", self.customer, "customer_name"))
		)
		frappe.db.set_value("HS Customer", self.customer, "status", "Blacklisted")
		self.assertRaises(frappe.ValidationError, self.create, key="key-blocked-1")
		self.assertEqual(frappe.db.count("HS Booking", {"customer": self.customer}), 1)

	def test_address_outside_every_area_cannot_book(self):
		nowhere = make_address(self.customer, -45.0, -100.0)
		self.assertRaises(SchedulingError, self.create, address=nowhere)


class TestMyBookings(CustomerTestCase):
	def test_list_is_mine_newest_first_and_grouped(self):
		first = self.book(10)
		second = self.book(14)
		paid = self.booking_in(Status.PENDING_DISPATCH, hour=16)
		other = self.other_customers_booking()
		with self.as_customer():
			everything = bookings.list_bookings()
			to_pay = bookings.list_bookings(status_group="to_pay")
			in_progress = bookings.list_bookings(status_group="in_progress", page=1, page_size=1)
			self.assertRaises(InvalidInputError, bookings.list_bookings, status_group="all_customers")
			self.assertRaises(frappe.ValidationError, bookings.list_bookings, page_size=500)
		self.assertEqual([b["booking"] for b in everything["items"]], [paid.name, second.name, first.name])
		self.assertNotIn(other.name, [b["booking"] for b in everything["items"]])
		self.assertEqual({b["booking"] for b in to_pay["items"]}, {first.name, second.name})
		self.assertEqual((in_progress["total"], in_progress["items"][0]["booking"]), (1, paid.name))
		self.assertEqual(everything["items"][0]["items"][0]["service_item"], self.corner.item)

	def test_another_customers_booking_is_not_found_for_every_method(self):
		other = self.other_customers_booking(Status.ASSIGNED)
		calls = {
			"get_booking": {},
			"cancel_booking": {},
			"reschedule_booking": {"window_start": str(at(self.day, 14))},
			"confirm_completion": {},
			"approve_extra_charge": {"charge": "x"},
			"decline_extra_charge": {"charge": "x"},
		}
		with self.as_customer():
			for method, kw in calls.items():
				with self.subTest(method=method):
					self.assertRaises(
						frappe.DoesNotExistError, getattr(bookings, method), booking=other.name, **kw
					)
			self.assertRaises(frappe.DoesNotExistError, bookings.get_booking, booking="HS-BK-NOPE")
			self.assertRaises(
				frappe.DoesNotExistError,
				bookings.get_slots,
				item=self.corner.item,
				address=other.address,
			)
		other.reload()
		self.assertEqual((other.status, str(other.window_start)[11:16]), (Status.ASSIGNED, "12:00"))

	def test_detail_shows_the_technician_phone_only_once_assigned(self):
		doc = self.booking_in(Status.PENDING_DISPATCH)
		with self.as_customer():
			detail = bookings.get_booking(booking=doc.name)
		self.assertIsNone(detail["technician"])
		self.assertEqual(
			[e["status"] for e in detail["timeline"]], [Status.PENDING_PAYMENT, Status.PENDING_DISPATCH]
		)
		self.assertNotIn(self.tech, str(detail))  # the held technician is not shown

		frappe.db.set_value(
			"HS Technician", self.tech, {"rating": 4.83, "rating_count": 12, "completed_count": 30}
		)
		doc.reload()
		doc.technician = self.tech
		doc.transition_to(Status.ASSIGNED)
		with self.as_customer():
			detail = bookings.get_booking(booking=doc.name)
		card = detail["technician"]
		phone = frappe.db.get_value("HS Technician", self.tech, "mobile_no")
		self.assertEqual(
			(card["rating"], card["rating_count"], card["completed_count"], card["phone"]),
			(4.8, 12, 30, phone),
		)
		self.assertTrue(detail["actions"]["can_cancel"])
		self.assertNotIn("@", str(detail["timeline"]))  # no staff logins in the timeline


class TestCancelAndReschedule(CustomerTestCase):
	def test_unpaid_booking_cancels_free_and_twice_is_harmless(self):
		doc = self.book(10)
		with self.as_customer():
			result = bookings.cancel_booking(booking=doc.name, reason="计划有变")
			again = bookings.cancel_booking(booking=doc.name)
		self.assertEqual(result, again)
		self.assertEqual((result["status"], result["cancellation_fee"]), (Status.CANCELLED, "0.00"))
		doc.reload()
		self.assertEqual((doc.cancel_reason, doc.held_technician), ("计划有变", None))

	def test_paid_booking_is_free_before_the_deadline_and_charged_after(self):
		early = self.booking_in(Status.PENDING_DISPATCH, hour=10)
		with self.as_customer():
			self.assertEqual(bookings.cancel_booking(booking=early.name)["cancellation_fee"], "0.00")

		late = self.booking_in(Status.ASSIGNED, hour=14)
		frappe.db.set_single_value("HS Settings", "free_cancel_hours", 24 * 7)  # every window is now "late"
		frappe.clear_document_cache("HS Settings", "HS Settings")
		CANCELLED_HOOK_CALLS.clear()
		hooks = frappe.get_hooks

		def get_hooks(name=None, *args, **kwargs):
			if name == "hs_on_booking_cancelled":  # every hook (the technician hears of it), and ours
				return [*hooks(name, *args, **kwargs), f"{__name__}.record_cancellation"]
			return hooks(name, *args, **kwargs)

		with patch.object(policy.frappe, "get_hooks", get_hooks), self.as_customer():
			result = bookings.cancel_booking(booking=late.name)
		self.assertEqual((result["cancellation_fee"], result["refund_due"]), ("20.00", "80.00"))
		self.assertEqual(float(frappe.db.get_value("HS Booking", late.name, "cancellation_fee")), 20.0)
		self.assertEqual([(name, str(fee)) for name, fee in CANCELLED_HOOK_CALLS], [(late.name, "20.00")])
		message = frappe.db.get_value(
			"HS Message", {"recipient": self.tech_user, "booking": late.name}, "title"
		)
		self.assertTrue(message)

	def test_cancelling_is_refused_once_the_technician_has_set_off(self):
		doc = self.booking_in(Status.ON_THE_WAY)
		with self.as_customer():
			self.assertRaises(policy.PolicyError, bookings.cancel_booking, booking=doc.name)
			self.assertRaises(
				policy.PolicyError,
				bookings.reschedule_booking,
				booking=doc.name,
				window_start=str(at(self.day, 14)),
			)
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "status"), Status.ON_THE_WAY)

	def test_reschedule_re_holds_capacity(self):
		doc = self.book(10)  # holds the corner's only technician at 10:00
		other, _user = self.new_customer()
		other_address = make_address(other, self.corner.lat, self.corner.lng)
		self.book(14, customer=other, address=other_address)  # ... and at 14:00 for someone else
		with self.as_customer():
			self.assertRaises(
				NoCapacityError,
				bookings.reschedule_booking,
				booking=doc.name,
				window_start=str(at(self.day, 14)),
			)
			detail = bookings.reschedule_booking(booking=doc.name, window_start=str(at(self.day, 16)))
		self.assertEqual(detail["window_start"], str(at(self.day, 16)))
		self.assertIn("16:00", detail["timeline"][-1]["note"])
		doc.reload()
		self.assertEqual((doc.held_technician, str(doc.window_end)), (self.tech, str(at(self.day, 18))))
		self.book(10, customer=other, address=other_address)  # 10:00 was released

	def test_assigned_booking_moves_only_where_its_technician_is_free(self):
		doc = self.booking_in(Status.ASSIGNED, hour=10)
		self.booking_in(Status.ASSIGNED, hour=14)  # the technician's other job
		with self.as_customer():
			self.assertRaises(
				TechnicianBusyError,
				bookings.reschedule_booking,
				booking=doc.name,
				window_start=str(at(self.day, 14)),
			)
			self.assertRaises(
				TechnicianBusyError,
				bookings.reschedule_booking,
				booking=doc.name,
				window_start=str(at(self.day, 18)),
			)  # after hours
			bookings.reschedule_booking(booking=doc.name, window_start=str(at(self.day, 8)))
		self.assertEqual(
			str(frappe.db.get_value("HS Booking", doc.name, "window_start")), str(at(self.day, 8))
		)

	def test_reschedule_closes_at_the_free_cancel_deadline(self):
		doc = self.book(10)
		frappe.db.set_single_value("HS Settings", "free_cancel_hours", 24 * 7)
		frappe.clear_document_cache("HS Settings", "HS Settings")
		with self.as_customer():
			self.assertRaises(
				policy.PolicyError,
				bookings.reschedule_booking,
				booking=doc.name,
				window_start=str(at(self.day, 14)),
			)
			self.assertFalse(bookings.get_booking(booking=doc.name)["actions"]["can_reschedule"])


class TestOnSite(CustomerTestCase):
	def test_extra_charges_then_confirm_completion(self):
		doc = self.booking_in(Status.IN_SERVICE)
		doc = frappe.get_doc("HS Booking", doc.name, for_update=True)
		extras.propose(
			doc, [{"description": "更换水龙头", "amount": 80}, {"description": "上门远程费", "amount": 30}]
		)
		part, trip = (row.name for row in doc.extra_charges)
		with self.as_customer():
			approved = bookings.approve_extra_charge(booking=doc.name, charge=part)
			self.assertEqual(
				(approved["status"], approved["extra_total"], approved["amount_due"]),
				("Approved", "80.00", "180.00"),
			)
			self.assertRaises(ConflictError, bookings.decline_extra_charge, booking=doc.name, charge=part)
			self.assertRaises(
				frappe.DoesNotExistError, bookings.approve_extra_charge, booking=doc.name, charge="nope"
			)
		doc.reload()
		doc.transition_to(Status.AWAITING_CONFIRMATION)
		with self.as_customer():
			self.assertRaises(
				ConflictError, bookings.confirm_completion, booking=doc.name
			)  # one still proposed
			bookings.decline_extra_charge(booking=doc.name, charge=trip)
			before = frappe.db.get_value("HS Technician", self.tech, "completed_count") or 0
			result = bookings.confirm_completion(booking=doc.name)
			self.assertEqual(bookings.confirm_completion(booking=doc.name), result)  # a double tap
		self.assertEqual(result["status"], Status.COMPLETED)
		self.assertEqual(frappe.db.get_value("HS Technician", self.tech, "completed_count"), before + 1)
		titles = frappe.get_all(
			"HS Message", filters={"recipient": self.user, "booking": doc.name}, pluck="title"
		)
		self.assertEqual(len(titles), 5)  # paid, assigned, on the way, please confirm, completed

	def test_only_a_finished_service_can_be_confirmed(self):
		doc = self.booking_in(Status.IN_SERVICE)
		with self.as_customer():
			self.assertRaises(ConflictError, bookings.confirm_completion, booking=doc.name)
