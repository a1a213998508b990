# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Which errors mean "MariaDB or Redis is unreachable, try again" (utils/outage.py)."""

import pymysql
import redis

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.utils.outage import is_outage


class TestIsOutage(FrappeTestCase):
	def test_a_lost_server_is_an_outage(self):
		for error in (
			pymysql.err.OperationalError(2003, "Can't connect to MySQL server on '127.0.0.1'"),
			pymysql.err.OperationalError(2013, "Lost connection to MySQL server during query"),
			pymysql.err.OperationalError(2006, "MySQL server has gone away"),
			pymysql.err.InterfaceError(0, ""),
			redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
			redis.exceptions.BusyLoadingError("Redis is loading the dataset in memory"),
			redis.exceptions.TimeoutError("Timeout reading from socket"),
		):
			with self.subTest(error=repr(error)):
				self.assertTrue(is_outage(error))

	def test_an_error_raised_while_handling_an_outage_is_one(self):
		"""Frappe's rollback in its `finally` fails too: the outage is that error's context."""
		try:
			try:
				raise redis.exceptions.ConnectionError("refused")
			except redis.exceptions.ConnectionError:
				raise frappe.ValidationError("while sending")  # the implicit context is the point
		except frappe.ValidationError as e:
			self.assertTrue(is_outage(e))
		try:
			raise RuntimeError("a bug") from frappe.ValidationError("bad input")
		except RuntimeError as e:
			self.assertFalse(is_outage(e))

	def test_other_database_errors_are_not(self):
		for error in (
			pymysql.err.OperationalError(1054, "Unknown column 'x' in 'field list'"),
			pymysql.err.OperationalError(1213, "Deadlock found when trying to get lock"),
			pymysql.err.IntegrityError(1062, "Duplicate entry"),
			redis.exceptions.ResponseError("WRONGTYPE"),
			frappe.ValidationError("bad input"),
			None,
		):
			with self.subTest(error=repr(error)):
				self.assertFalse(is_outage(error))
