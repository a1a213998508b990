# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The errors a method can answer with, read from the code it runs (api/raises.py)."""

import functools

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.api.raises import raised_by
from home_service.booking.lifecycle import InvalidTransitionError
from home_service.scheduling.holds import NoCapacityError


class SlotGoneError(frappe.ValidationError):
	http_status_code = 409


class BadNameError(frappe.ValidationError):
	pass


def helper():
	frappe.throw("gone", SlotGoneError)


def refuse(message, exc=BadNameError):
	frappe.throw(message, exc)


class Client:
	def __init__(self):
		if not frappe.conf.get("anything"):
			raise frappe.AuthenticationError

	def fetch(self):
		return self._check()

	def _check(self):
		frappe.throw("no", frappe.PermissionError)


def decorated(fn):
	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		return fn(*args, **kwargs)

	return wrapper


def check_later(check):
	return check


@decorated
def entry():
	check_later(check=helper)
	refuse("bad", frappe.DoesNotExistError)
	client = Client()
	client.fetch()


def with_a_document(name: str):
	from home_service.booking.doctype.hs_booking.hs_booking import HSBooking  # a local import is followed

	doc = frappe.get_doc("HS Booking", name)
	assert isinstance(doc, HSBooking)


class Gatekeeper:
	def open(self):
		frappe.throw("closed", SlotGoneError)


def once(key, call, *args):
	return call(*args)


def passes_bound_methods():
	keeper = Gatekeeper()
	once("a", keeper.open)  # a method of a variable's object, called back (api/auth.py reused_on_retry)
	once("b", Client().fetch)  # a method of an object made right there


def bugs_are_not_answers():
	raise ValueError("a bug, answered 500 whatever the document says")


class TestRaisedBy(FrappeTestCase):
	def test_raises_throws_callees_defaults_arguments_constructors_and_self_methods(self):
		self.assertEqual(
			raised_by(entry),
			{
				SlotGoneError,  # frappe.throw in a function it passes to one (called back)
				BadNameError,  # the default exception of a function it calls
				frappe.DoesNotExistError,  # an exception class it passes to one
				frappe.AuthenticationError,  # raised by a constructor
				frappe.PermissionError,  # by a method reached through self
			},
		)

	def test_a_document_brings_its_controller_and_hooks(self):
		found = raised_by(with_a_document)
		self.assertIn(frappe.DoesNotExistError, found)  # frappe.get_doc(doctype, name)
		self.assertIn(InvalidTransitionError, found)  # the booking's lifecycle
		self.assertIn(NoCapacityError, found)  # its capacity hold on insert

	def test_bound_methods_passed_to_a_call_are_called_back(self):
		self.assertEqual(
			raised_by(passes_bound_methods),
			{SlotGoneError, frappe.AuthenticationError, frappe.PermissionError},
		)

	def test_only_exceptions_with_an_http_status_count(self):
		self.assertEqual(raised_by(bugs_are_not_answers), set())
