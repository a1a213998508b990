# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The OpenAPI document lists every endpoint declared in the source with its HTTP methods, and a
module that fails to import breaks the document instead of vanishing from it."""

import importlib
import json
from unittest.mock import patch

from werkzeug.wrappers import Response

import frappe
import frappe.utils.response
from frappe.tests.utils import FrappeTestCase

from home_service.api import openapi
from home_service.api.errors import API_PATH, answer_for, shape_api_errors
from home_service.api.raises import raised_by
from home_service.api.registry import REGISTRY
from home_service.tests.api_surface import declared

BROKEN = ("home_service.api.public", "home_service.api.customer.bookings")  # a module, a package's


class TestOpenAPIDocument(FrappeTestCase):
	def test_every_declared_endpoint_is_documented_with_its_methods(self):
		source = declared()
		self.assertGreater(len(source), 80)
		document = openapi.build()
		self.assertEqual(
			{path: sorted(method.upper() for method in item) for path, item in document["paths"].items()},
			source,
		)
		self.assertEqual({ep.path for ep in REGISTRY.values()}, set(source))

	def test_a_module_that_fails_to_import_breaks_the_document(self):
		real = importlib.import_module
		for broken in BROKEN:

			def import_module(name, *args, broken=broken):
				if name == broken:
					raise ModuleNotFoundError(f"No module named '{name}.missing_dependency'")
				return real(name, *args)

			with self.subTest(broken), patch.object(importlib, "import_module", side_effect=import_module):
				self.assertRaises(ModuleNotFoundError, openapi.build)

	def test_guest_operations_are_marked_rate_limited(self):
		for path, item in openapi.build()["paths"].items():
			for method, operation in item.items():
				if {} in operation["security"]:  # callable without a token
					with self.subTest(f"{method} {path}"):
						self.assertTrue(operation.get("x-rate-limited"))
		self.assertTrue(REGISTRY[f"{openapi.spec.__module__}.spec"].rate_limited)


def error_codes(operation: dict) -> dict[int, list[str]]:
	"""The error statuses of an operation and the `error.code` values each one lists."""
	return {
		int(status): response["content"]["application/json"]["schema"]["allOf"][1]["properties"]["error"][
			"properties"
		]["code"]["enum"]
		for status, response in operation["responses"].items()
		if int(status) >= 400
	}


class TestErrorResponses(FrappeTestCase):
	def test_every_operation_lists_the_errors_it_can_answer_with(self):
		for path, item in openapi.build()["paths"].items():
			for method, operation in item.items():
				with self.subTest(f"{method} {path}"):
					errors = error_codes(operation)
					self.assertIn("UNAUTHENTICATED", errors[401])  # any token can expire
					self.assertIn("METHOD_NOT_ALLOWED", errors[405])
					if method == "post":  # api/errors.py: what it makes of a body
						self.assertIn("INVALID_JSON", errors[400])
						self.assertIn("REQUEST_TOO_LARGE", errors[413])
						self.assertIn("UNSUPPORTED_MEDIA_TYPE", errors[415])
					if operation.get("x-rate-limited"):
						self.assertIn("RATE_LIMITED", errors[429])
					if operation.get("requestBody") or operation.get("parameters"):
						self.assertIn("INVALID_ARGUMENT", errors[422])
					for status, codes in errors.items():
						self.assertTrue(codes)
						self.assertEqual(
							operation["responses"][str(status)]["description"].split(": ", 1)[1],
							", ".join(codes),
						)

	def test_each_method_lists_the_domain_errors_of_the_code_it_runs(self):
		paths = openapi.build()["paths"]

		def codes(method: str, status: int) -> list[str]:
			[operation] = paths[f"/api/method/home_service.api.{method}"].values()
			return error_codes(operation).get(status, [])

		self.assertIn("NO_CAPACITY", codes("customer.bookings.create_booking", 409))
		self.assertIn("NO_CUSTOMER_PROFILE", codes("customer.bookings.create_booking", 403))
		self.assertIn("INVALID_CODE", codes("auth.sms_login", 401))
		self.assertIn("TOO_MANY_CODES", codes("auth.sms_send_code", 429))
		self.assertIn("OFFER_CLOSED", codes("technician.offers.accept_offer", 409))
		self.assertIn("NOT_A_TECHNICIAN", codes("technician.offers.accept_offer", 403))
		self.assertNotIn("OFFER_CLOSED", codes("customer.bookings.create_booking", 409))
		self.assertEqual(codes("openapi.ping", 429), [])  # not rate limited
		self.assertNotIn(400, error_codes(paths["/api/method/home_service.api.openapi.ping"]["get"]))

	def test_served_as_json(self):
		frappe.local.response = frappe._dict()
		openapi.spec()
		response = frappe.utils.response.build_response("json")
		self.assertEqual(response.mimetype, "application/json")
		self.assertEqual(json.loads(response.get_data())["openapi"], "3.0.3")

	def test_each_listed_code_is_the_one_the_error_shape_gives(self):
		"""api/errors.answer_for (the document) and shape_api_errors (the answers) agree."""
		openapi.load_api_modules()
		listed = set()
		for ep in REGISTRY.values():
			listed |= raised_by(openapi.whitelisted(ep))
		self.assertGreater(len(listed), 20)
		request = frappe._dict(path=API_PATH + "customer.bookings.create_booking", method="POST")
		for exc in listed:
			with self.subTest(exc.__name__):
				response = Response(json.dumps({"exc_type": exc.__name__}), status=exc.http_status_code)
				shape_api_errors(response, request)
				answer = (response.status_code, json.loads(response.get_data())["error"]["code"])
				self.assertEqual(answer, answer_for(exc))
