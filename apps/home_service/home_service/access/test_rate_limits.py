# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Rate limits count what a client did, not what we failed to do (access/rate_limits.py)."""

import random

import pymysql
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.access.rate_limits import counter_key, rate_limit
from home_service.tests.factories import uid

LIMIT = 2


class TestRateLimits(FrappeTestCase):
	def setUp(self):
		frappe.local.request = Request(EnvironBuilder(path="/api/method/x", method="GET").get_environ())
		frappe.local.request_ip = f"198.51.100.{random.randint(1, 254)}"
		frappe.local.form_dict = frappe._dict(cmd=f"home_service.test_rate_limits:{uid()}")  # a fresh counter
		self.key = counter_key()

	def tearDown(self):
		frappe.cache.delete(self.key)
		del frappe.local.request
		frappe.local.form_dict = frappe._dict()

	def counted(self) -> int:
		return int(frappe.cache.get(self.key) or 0)

	def test_refused_calls_are_not_counted(self):
		"""A client retrying on 429 is let in again when the window ends, however often it retried."""
		limited = rate_limit(limit=LIMIT, seconds=60)(lambda: "ok")
		self.assertEqual([limited(), limited()], ["ok", "ok"])
		for _n in range(5):
			self.assertRaises(frappe.RateLimitExceededError, limited)
		self.assertEqual(self.counted(), LIMIT)

	def test_calls_that_fail_on_our_side_are_not_counted(self):
		for error in (
			pymysql.err.OperationalError(2013, "Lost connection to server during query"),
			RuntimeError("a bug"),
		):
			with self.subTest(error=type(error).__name__):
				limited = rate_limit(limit=LIMIT, seconds=60)(_raising(error))
				for _n in range(LIMIT + 3):
					self.assertRaises(type(error), limited)  # never RateLimitExceededError
				self.assertEqual(self.counted(), 0)

	def test_the_clients_own_mistakes_count(self):
		limited = rate_limit(limit=LIMIT, seconds=60)(_raising(frappe.ValidationError("bad input")))
		for _n in range(LIMIT):
			self.assertRaises(frappe.ValidationError, limited)
		self.assertRaises(frappe.RateLimitExceededError, limited)

	def test_a_counter_without_a_lifetime_gets_one(self):
		"""Frappe's limiter can leave a counter that never expires (INCR after it expired)."""
		frappe.cache.set(self.key, LIMIT)
		self.assertRaises(frappe.RateLimitExceededError, rate_limit(limit=LIMIT, seconds=60)(lambda: "ok"))
		self.assertTrue(0 < frappe.cache.ttl(self.key) <= 60)

	def test_calls_outside_a_request_are_not_limited(self):
		del frappe.local.request
		limited = rate_limit(limit=1, seconds=60)(lambda: "ok")
		self.assertEqual([limited(), limited()], ["ok", "ok"])
		frappe.local.request = None  # tearDown deletes it again


def _raising(error: Exception):
	def fail():
		raise error

	return fail
