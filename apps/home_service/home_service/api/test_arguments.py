# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The registry checks every endpoint argument against its hint before the endpoint runs."""

import inspect
from typing import Annotated

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.translate import clear_cache

from home_service.api import arguments
from home_service.api.arguments import Range
from home_service.api.customer import reviews
from home_service.api.openapi import load_api_modules
from home_service.api.registry import REGISTRY
from home_service.utils.text import InvalidInputError


def sample(
	booking: str,
	rating: Annotated[int, Range(1, 5)],
	items: list[dict] | None = None,
	ratio: float = 1.0,
	flag: bool = False,
	note: str | None = None,
	points: Annotated[int, Range(0)] = 0,
):
	pass


SIGNATURE, HINTS = inspect.signature(sample), arguments.type_hints(sample)


def check(**kwargs) -> dict:
	args, kwargs = arguments.check(SIGNATURE, HINTS, (), {"booking": "B", "rating": 3, **kwargs})
	return SIGNATURE.bind(*args, **kwargs).arguments


class TestArguments(FrappeTestCase):
	def refused(self, exc, words: str, **kwargs) -> str:
		with self.assertRaises(exc) as caught:
			check(**kwargs)
		message = str(caught.exception)
		self.assertIn(words, message)
		frappe.clear_messages()
		return message

	def test_json_types_are_strict_and_query_strings_convert(self):
		self.refused(frappe.FrappeTypeError, "rating must be a whole number, not true or false", rating=True)
		self.refused(frappe.FrappeTypeError, "rating must be a whole number, not text", rating="4.5")
		self.refused(frappe.FrappeTypeError, "booking must be text, not a whole number", booking=12)
		self.refused(frappe.FrappeTypeError, "items must be a list or null, not text", items="[]")
		self.refused(frappe.FrappeTypeError, "items[1] must be an object, not text", items=[{}, "x"])
		self.refused(frappe.FrappeTypeError, "flag must be true or false, not a whole number", flag=2)
		self.refused(InvalidInputError, "ratio must be a finite number", ratio=float("nan"))
		self.refused(frappe.FrappeTypeError, "ratio must be a number", ratio="Infinity")
		converted = check(rating="4", ratio="2.5", flag="true", items=[{"q": 1}], note=None)
		self.assertEqual(
			(converted["rating"], converted["ratio"], converted["flag"], converted["items"]),
			(4, 2.5, True, [{"q": 1}]),
		)
		self.assertIs(check(flag=0)["flag"], False)
		self.assertEqual(check(rating=5.0)["rating"], 5)

	def test_text_anywhere_must_be_valid_unicode_without_nul_and_not_huge(self):
		self.refused(frappe.FrappeTypeError, "booking is not valid Unicode", booking="HS-BK-\ud800")
		self.refused(
			frappe.FrappeTypeError,
			"items[0].service_item is not valid Unicode",
			items=[{"service_item": "\udfff", "quantity": 1}],
		)
		self.refused(frappe.FrappeTypeError, "items[0] is not valid Unicode", items=[{"\ud800": 1}])
		self.refused(frappe.FrappeTypeError, "note contains a NUL", note="a\x00b")
		self.refused(frappe.FrappeTypeError, "note is too long", note="x" * (arguments.MAX_TEXT + 1))

	def test_ranges_are_invalid_input_and_missing_arguments_are_named(self):
		self.refused(InvalidInputError, "rating must be between 1 and 5", rating=6)
		self.refused(InvalidInputError, "points must be 0 or more", points=-1)
		with self.assertRaises(frappe.FrappeTypeError) as caught:
			arguments.check(SIGNATURE, HINTS, (), {"items": []})
		self.assertIn("Missing arguments: booking, rating", str(caught.exception))
		with self.assertRaises(frappe.FrappeTypeError) as caught:
			arguments.check(SIGNATURE, HINTS, (), {"booking": "B"})
		self.assertIn("Missing argument: rating.", str(caught.exception))

	def test_the_messages_are_translated(self):
		clear_cache()  # Frappe keeps the merged dictionary per language in Redis
		frappe.local.lang = "zh"
		try:
			message = self.refused(frappe.FrappeTypeError, "参数 rating 应为整数", rating=True)
		finally:
			frappe.local.lang = "en"
		self.assertIn("布尔值", message)

	def test_every_endpoint_is_checked_before_it_runs(self):
		"""Frappe's own lax check is off (it would turn `true` into 1 before ours runs) and a bad
		argument never reaches the endpoint: submit_review with `rating: true` is a 422, not a 409
		about a booking that does not exist."""
		load_api_modules()
		for path, endpoint in REGISTRY.items():
			function = frappe.get_attr(path)
			with self.subTest(path):
				self.assertEqual(function.__annotations__, {})  # what frappe.whitelist's check reads
				self.assertEqual(
					list(inspect.signature(function).parameters), [p.name for p in endpoint.params]
				)
		frappe.set_user("Administrator")
		try:
			with self.assertRaises(frappe.FrappeTypeError):
				reviews.submit_review(booking="HS-BK-NONE", rating=True)
			with self.assertRaises(InvalidInputError):
				reviews.submit_review(booking="HS-BK-NONE", rating=0)
		finally:
			frappe.set_user("Administrator")
