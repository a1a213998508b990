# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

"""How `pay` finds a booking's open order without a locking read of HS Payment's booking index (whose
gap locks deadlocked concurrent pays of different bookings, issue 21): a plain read, the booking's
`open_payment` for what that read cannot see yet, and row locks by name. The concurrent case itself
runs over HTTP in tests/money/test_concurrency_http.py."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing import payments
from home_service.billing.payments import start_payment
from home_service.tests.billing_fixtures import payable_booking
from home_service.tests.providers import fake_wechatpay

WX = "WeChat Pay"


class SqlSpy:
	def __init__(self):
		self.queries: list[str] = []
		self.real = frappe.db.sql

	def __call__(self, query, *args, **kwargs):
		self.queries.append(str(query))
		return self.real(query, *args, **kwargs)


class TestPaymentLocks(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("payment_locks")
		self.addCleanup(frappe.db.rollback, save_point="payment_locks")

	def test_the_booking_names_the_order_it_opened(self):
		with fake_wechatpay():
			booking = payable_booking()
			params = start_payment(booking.name, WX)
			self.assertEqual(
				frappe.db.get_value("HS Booking", booking.name, "open_payment"), params["payment"]
			)

	def test_a_tap_whose_snapshot_misses_the_order_still_gets_it(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			first = start_payment(booking.name, WX)
			# what a second tap sees when its snapshot was taken before the first tap committed
			with patch.object(payments.frappe, "get_all", return_value=[]):
				again = start_payment(booking.name, WX)
			self.assertEqual(again, first)
			self.assertEqual(fake.counts["orders"], 1)

	def test_payment_rows_are_locked_by_name_only(self):
		with fake_wechatpay():
			booking = payable_booking()
			start_payment(booking.name, WX)
			spy = SqlSpy()
			with patch.object(frappe.db, "sql", spy):
				start_payment(booking.name, WX)
				payments.confirm_payment(booking.name)
			locking = [q for q in spy.queries if "for update" in q.lower() and "HS Payment" in q]
			self.assertTrue(locking)
			for query in locking:
				self.assertNotIn("`booking`", query)
				self.assertIn("`name` IN", query)
