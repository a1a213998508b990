# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The OpenAPI document lists every endpoint declared in the source with its HTTP methods, and a
module that fails to import breaks the document instead of vanishing from it."""

import importlib
from unittest.mock import patch

from frappe.tests.utils import FrappeTestCase

from home_service.api import openapi
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
