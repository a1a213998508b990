# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""An add-on app's API package, registered through the `hs_api_packages` hook, gets what core's API
gets: the gate, the error shape, the request-size limit and the OpenAPI document with its error and
rate-limit answers. The add-on is a real top-level package written to a temporary folder (outside
home_service, as an installed add-on app is); the hook is added by patching frappe.get_hooks."""

import importlib
import json
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path
from unittest.mock import patch

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.api import gate, openapi
from home_service.api.errors import RequestTooLargeError, limit_request_size, shape_api_errors
from home_service.api.registry import REGISTRY, endpoint

ADDON = "hs_probe_addon"
PACKAGE = f"{ADDON}.api"
ORDERS = """
import frappe
from frappe.client import get_count  # imported, not defined here: the gate keeps it closed

from home_service.access.rate_limits import rate_limit
from home_service.api.registry import endpoint


class SlotTakenError(frappe.ValidationError):
	http_status_code = 409


def _take(slot):
	if slot == "taken":
		raise SlotTakenError("That slot is taken.")  # only found by following the add-on's code
	return slot


@endpoint(methods=("POST",), roles=("HS Customer",))
def reserve(slot: str) -> dict:
	\"\"\"Reserve a slot.\"\"\"
	return {"slot": _take(slot)}


@endpoint(methods=("GET",), guest=True)
@rate_limit(limit=3, seconds=60)
def board() -> list:
	\"\"\"The public board.\"\"\"
	return []
"""
NOTIFY = """
import frappe


@frappe.whitelist(allow_guest=True, methods=["POST"])
def provider():
	frappe.throw("bad signature")
"""


def with_addon_hooks(original, webhooks=True):
	"""frappe.get_hooks as it reads once the add-on's hooks.py is loaded."""

	def get_hooks(hook=None, default="_KEEP_DEFAULT_LIST", app_name=None):
		hooks = original(app_name=app_name)
		if not app_name:
			hooks = frappe._dict(hooks)
			hooks["hs_api_packages"] = [*hooks.get("hs_api_packages", []), PACKAGE]
			if webhooks:
				hooks["hs_api_webhooks"] = [*hooks.get("hs_api_webhooks", []), f"{PACKAGE}.notify"]
		if hook:
			return hooks.get(hook, [] if default == "_KEEP_DEFAULT_LIST" else default)
		return hooks

	return get_hooks


def path(method: str) -> str:
	return f"/api/method/{PACKAGE}.{method}"


class TestAddOnApiPackages(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.folder = tempfile.mkdtemp(prefix="hs_addon_")
		api = Path(cls.folder, ADDON, "api")
		api.mkdir(parents=True)
		Path(cls.folder, ADDON, "__init__.py").write_text("")
		(api / "__init__.py").write_text("")
		(api / "orders.py").write_text(textwrap.dedent(ORDERS))
		(api / "notify.py").write_text(textwrap.dedent(NOTIFY))
		(api / "test_orders.py").write_text("raise ImportError('tests are not API modules')\n")
		sys.path.insert(0, cls.folder)
		importlib.invalidate_caches()

	@classmethod
	def tearDownClass(cls):
		sys.path.remove(cls.folder)
		for name in [m for m in sys.modules if m == ADDON or m.startswith(ADDON + ".")]:
			del sys.modules[name]
		for key in [k for k in REGISTRY if k.startswith(ADDON + ".")]:
			del REGISTRY[key]  # the document of a later test knows only installed packages
		shutil.rmtree(cls.folder)
		super().tearDownClass()

	def addon(self, webhooks=True):
		return patch.object(frappe, "get_hooks", with_addon_hooks(frappe.get_hooks, webhooks))

	def test_the_openapi_document_lists_the_add_on_endpoints_with_their_answers(self):
		with self.addon():
			document = openapi.build()
		reserve, board = document["paths"][path("orders.reserve")], document["paths"][path("orders.board")]
		self.assertEqual(set(reserve), {"post"})
		self.assertIn("SLOT_TAKEN", reserve["post"]["responses"]["409"]["description"])
		self.assertEqual(reserve["post"]["security"], [{"hsToken": []}])
		self.assertEqual(reserve["post"]["summary"], "Reserve a slot.")
		self.assertTrue(board["get"]["x-rate-limited"])
		self.assertIn("429", board["get"]["responses"])
		self.assertNotIn(path("notify.provider"), document["paths"])  # not an @endpoint
		self.assertFalse([p for p in openapi.build()["paths"] if ADDON in p])  # the hook, nothing else

	def test_the_gate_opens_the_add_on_package_and_only_what_it_defines(self):
		importlib.import_module(f"{PACKAGE}.orders")  # as on a worker after the first call (get_attr
		# would refuse to import from an app the site does not list as installed)
		with self.addon():
			self.assertTrue(gate.is_open(f"{PACKAGE}.orders.reserve"))
			self.assertFalse(gate.is_open(f"{PACKAGE}.orders.get_count"))  # frappe.client's
		self.assertFalse(gate.is_open(f"{PACKAGE}.orders.reserve"))

	def test_errors_of_the_add_on_come_in_the_app_shape(self):
		request = frappe._dict(path=path("orders.reserve"), method="POST")
		body = {"exc_type": "SlotTakenError", "exception": "SlotTakenError: That slot is taken."}
		with self.addon():
			response = Response(json.dumps(body), status=409)
			shape_api_errors(response, request)
		error = json.loads(response.get_data())["error"]
		self.assertEqual((response.status_code, error["code"]), (409, "SLOT_TAKEN"))
		self.assertEqual(error["message"], "That slot is taken.")
		response = Response(json.dumps(body), status=409)
		shape_api_errors(response, request)  # without the hook: Frappe's shape, left alone
		self.assertEqual(json.loads(response.get_data()), body)

	def test_a_webhook_module_answers_in_its_providers_words(self):
		request = frappe._dict(path=path("notify.provider"), method="POST")
		for webhooks, shaped in ((True, False), (False, True)):
			with self.subTest(webhooks=webhooks), self.addon(webhooks):
				response = Response(json.dumps({"exc_type": "ValidationError"}), status=417)
				shape_api_errors(response, request)
				self.assertEqual("error" in json.loads(response.get_data()), shaped)

	def test_the_request_size_limit_covers_the_add_on(self):
		environ = EnvironBuilder(
			path=path("orders.reserve"), method="POST", data=b"{}", content_type="application/json"
		).get_environ()
		environ["CONTENT_LENGTH"] = str(2 * 1024 * 1024)  # over the 1 MB default
		frappe.local.request = Request(environ)
		try:
			limit_request_size()  # not an API package yet: not this hook's business
			with self.addon(), self.assertRaises(RequestTooLargeError):
				limit_request_size()
		finally:
			del frappe.local.request

	def test_a_guest_endpoint_without_a_rate_limit_does_not_import(self):
		def board() -> list:
			return []

		with self.assertRaisesRegex(TypeError, "needs @rate_limit"):
			endpoint(methods=("GET",), guest=True)(board)
		self.assertFalse([key for key in REGISTRY if key.endswith(".board") and "test_addon" in key])
