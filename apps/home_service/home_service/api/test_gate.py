# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The gate (api/gate.py) reads a request as Frappe will run it: every route and `cmd` form resolves to
the method Frappe would call, and only the API packages and the framework allow-list pass for a
mini-program session. tests/security/test_method_allowlist.py sweeps the same over HTTP."""

from unittest.mock import patch

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

import frappe
import frappe.client
from frappe.tests.utils import FrappeTestCase

from home_service.api import gate, public
from home_service.api.errors import shape_api_errors
from home_service.tests.factories import uid

CATEGORIES = "home_service.api.public.categories"


def request(path: str, method: str = "POST") -> Request:
	return Request(EnvironBuilder(path=path, method=method).get_environ())


class TestWhatARequestCalls(FrappeTestCase):
	def called(self, path: str, method: str = "POST", **form) -> str | None:
		return gate.called(request(path, method), frappe._dict(form))

	def test_method_routes_name_the_method_frappe_runs(self):
		for path in (
			"/api/method/frappe.client.get_count",
			"/api/v1/method/frappe.client.get_count",
			"/api/v2/method/frappe.client.get_count",
			"/api/method/frappe.client.get_count/anything/after",  # v1 reads up to the first slash
		):
			with self.subTest(path):
				self.assertEqual(self.called(path), "frappe.client.get_count")
		self.assertEqual(self.called("/api/v2/method/ping", "GET"), "ping")
		self.assertEqual(self.called("/api/v2/method/login"), "login")
		self.assertEqual(self.called("/api/v2/method/run_doc_method"), "run_doc_method")

	def test_cmd_is_what_runs_whatever_the_path(self):
		self.assertEqual(self.called("/", cmd="frappe.client.get_count"), "frappe.client.get_count")
		self.assertEqual(
			self.called(f"/api/method/{CATEGORIES}", cmd="frappe.client.get_count"), "frappe.client.get_count"
		)
		self.assertEqual(self.called("/", cmd=["frappe.client.get_count"]), gate.DOCUMENT_API)

	def test_document_routes_and_doctype_methods_are_the_document_api(self):
		for method, path in (
			("GET", "/api/resource/HS Booking"),
			("GET", "/api/resource/HS Booking/HS-BK-1"),
			("DELETE", "/api/v1/resource/HS Booking/HS-BK-1"),
			("GET", "/api/v2/document/HS Booking"),
			("PATCH", "/api/v2/document/HS Booking/HS-BK-1"),
			("POST", "/api/v2/document/HS Booking/HS-BK-1/method/save"),
			("GET", "/api/v2/doctype/HS Booking/count"),
			("GET", "/api/v2/doctype/HS Booking/meta"),
			("POST", "/api/v2/method/User/sign_up"),  # a controller module's function by DocType
		):
			with self.subTest(path):
				self.assertEqual(self.called(path, method), gate.DOCUMENT_API)

	def test_pages_files_and_unknown_routes_call_nothing(self):
		for method, path in (
			("GET", "/login"),
			("GET", "/app/hs-booking"),
			("GET", "/private/files/x.png"),
			("GET", "/api/nothing/here"),
			("PATCH", "/api/resource/HS Booking"),  # no such route for the verb: Frappe answers 405
		):
			with self.subTest(path):
				self.assertIsNone(self.called(path, method))


class TestWhatIsOpen(FrappeTestCase):
	def test_the_api_packages_and_the_framework_allow_list_are_open(self):
		self.assertTrue(gate.is_open(CATEGORIES))
		self.assertTrue(gate.is_open("login"))
		self.assertTrue(gate.is_open("ping"))
		for closed in (
			"frappe.client.get_count",
			"frappe.client.validate_link",
			"frappe.desk.reportview.get",
			"run_doc_method",
			"upload_file",
			"home_service.quality.desk.compensate_with_refund",  # the app's Desk methods are staff's
			"home_service.apiary.x",  # a name that only starts like the package
			gate.DOCUMENT_API,
		):
			with self.subTest(closed):
				self.assertFalse(gate.is_open(closed))

	def test_a_framework_method_imported_into_an_api_module_stays_closed(self):
		with patch.object(public, "get_count", frappe.client.get_count, create=True):
			self.assertFalse(gate.is_open("home_service.api.public.get_count"))

	def test_an_add_on_app_opens_its_own_package_through_the_hook(self):
		hooks = {"hs_api_packages": ["home_service.api", "frappe.geo"], "hs_framework_methods": []}
		with patch.object(frappe, "get_hooks", lambda: hooks):
			self.assertTrue(gate.is_open("frappe.geo.country_info.get_country_timezone_info"))
			self.assertFalse(gate.is_open("login"))


class TestWhoIsGated(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.hs_token_hash = None

	def test_guests_tokens_and_website_users_are_gated_desk_users_are_not(self):
		website_user = frappe.get_doc(
			{"doctype": "User", "email": f"{uid()}@gate.test", "first_name": "G", "user_type": "Website User"}
		).insert(ignore_permissions=True)
		frappe.set_user("Guest")
		self.assertTrue(gate.is_mini_program_session())
		frappe.set_user(website_user.name)
		self.assertTrue(gate.is_mini_program_session())
		frappe.set_user("Administrator")
		self.assertFalse(gate.is_mini_program_session())
		frappe.local.hs_token_hash = "a token's hash"  # even a System User's token is a mini-program's
		self.assertTrue(gate.is_mini_program_session())

	def test_the_hook_refuses_in_the_shape_and_lets_open_calls_through(self):
		frappe.set_user("Guest")
		frappe.local.request = request("/api/method/frappe.client.get_count")
		frappe.local.form_dict = frappe._dict()
		try:
			self.assertRaises(frappe.PermissionError, gate.refuse_outside_api)
			self.assertTrue(gate.was_refused())
			frappe.local.hs_refused_outside_api = None
			frappe.local.request = request(f"/api/method/{CATEGORIES}", "GET")
			gate.refuse_outside_api()
			self.assertFalse(gate.was_refused())
			frappe.set_user("Administrator")  # Desk: Frappe's own rules
			frappe.local.request = request("/api/method/frappe.client.get_count")
			gate.refuse_outside_api()
		finally:
			del frappe.local.request
			frappe.local.hs_refused_outside_api = None


class TestTheRefusalsShape(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.hs_refused_outside_api = None

	def test_a_refused_page_request_is_answered_in_the_api_shape(self):
		"""`cmd` posted to "/" is answered by Frappe as an HTML page; the refusal is the API's JSON."""
		frappe.set_user("customer@gate.test")  # anyone but Guest (a Guest is told to log in: 401)
		frappe.local.hs_refused_outside_api = "This is not part of the mini-program API."
		response = Response("<html>Not Permitted</html>", status=403, mimetype="text/html")
		shape_api_errors(response, request("/"))
		self.assertEqual(response.status_code, 403)
		self.assertEqual(
			frappe.parse_json(response.get_data(as_text=True)),
			{
				"error": {
					"code": "FORBIDDEN",
					"message": "This is not part of the mini-program API.",
					"type": "PermissionError",
				}
			},
		)

	def test_a_request_without_a_response_is_left_alone(self):
		"""Frappe hands a werkzeug HTTPException (404, 405) to the hooks with no response."""
		shape_api_errors(None, request(f"/api/method/{CATEGORIES}"))
		frappe.local.hs_refused_outside_api = "refused"
		shape_api_errors(None, request("/api/resource/HS Booking"))
		shape_api_errors(None, request("/private/files/none.png", "GET"))
