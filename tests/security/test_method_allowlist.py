"""Mini-program sessions reach the app's API and a short allow-list of Frappe's methods, nothing else
(issue 14 point 1; the gate is home_service/api/gate.py).

A customer's token asked `frappe.client.get_count` with filters and read another customer's phone
number digit by digit; `validate_link` confirmed other people's addresses. Here every whitelisted
method of every installed app, found at run time on the server (tests/whitelisted_surface.py through
`bench execute`), is called as Guest, with a customer's token and with a technician's token, through
/api/method, /api/v1/method and /api/v2/method; and every HS DocType through /api/resource,
/api/v2/document, /api/v2/doctype (count, meta), the generic count/list/link methods with `fields`,
`filters` and `group_by`, controller methods and a `cmd` smuggled onto an open path. Each answer must
be the gate's refusal in the app's error shape: 403 FORBIDDEN for a token, 401 UNAUTHENTICATED for a
Guest (the remedy for a Guest is to log in, and a Desk tab whose session expired then offers that).
"""

import json
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from hs_client import BASE_URL, bench_execute

SITE = os.environ.get("HS_SITE", "home.localhost")
PROBE = f"gate-probe-{uuid.uuid4().hex[:8]}"  # a record name that does not exist: writes change nothing
OPEN_PATH = "/api/method/home_service.api.public.categories"  # a guest method of the app's API
REFUSAL = {"guest": (401, "UNAUTHENTICATED", "AuthenticationError")}
TOKEN_REFUSAL = (403, "FORBIDDEN", "PermissionError")
# harmless arguments for the allowed framework methods (any method the hook adds later gets none)
ALLOWED_ARGS = {
	"login": {"usr": "nobody@gate.probe", "pwd": "wrong"},
	"frappe.core.doctype.user.user.reset_password": {"user": "nobody@gate.probe"},
	"frappe.core.doctype.user.user.test_password_strength": {"new_password": "x"},
	"frappe.core.doctype.user.user.update_password": {"new_password": "x", "key": "not-a-reset-key"},
	"frappe.www.login.send_login_link": {"email": "nobody@gate.probe"},
	"frappe.www.login.login_via_key": {"key": "x"},
}
_local = threading.local()


@pytest.fixture(scope="module")
def surface() -> dict:
	found = bench_execute("home_service.tests.whitelisted_surface.surface")
	paths = [row["path"] for row in found["methods"]]
	# the enumeration itself worked: Frappe's generic methods and the app's endpoints are in it
	assert "frappe.client.get_count" in paths and "frappe.client.validate_link" in paths, len(paths)
	assert any(path.startswith("home_service.api.") for path in paths)
	return found


@pytest.fixture(scope="module")
def identities(customer_token, technician_token) -> dict:
	return {
		"guest": {},
		"customer": {"X-HS-Token": customer_token},
		"technician": {"X-HS-Token": technician_token},
	}


def is_open(path: str, surface: dict) -> bool:
	"""The gate's rule: a framework method of the hook, or a method defined under an API package."""
	packages = tuple(package + "." for package in surface["api_packages"])
	return path in surface["framework_methods"] or path.startswith(packages)


def send(headers: dict, verb: str, path: str, **kwargs) -> tuple[int, str]:
	session = getattr(_local, "session", None)
	if session is None:
		session = _local.session = requests.Session()
		session.headers["X-Frappe-Site-Name"] = SITE
	session.cookies.clear()  # a Guest stays a Guest whatever a response set
	response = session.request(verb, BASE_URL + path, headers=headers, timeout=60, **kwargs)
	return response.status_code, response.text


def refused(status: int, text: str, who: str) -> bool:
	try:
		body = json.loads(text)
	except ValueError:
		return False
	error = body.get("error") if isinstance(body, dict) and set(body) == {"error"} else None
	return bool(error) and (status, error.get("code"), error.get("type")) == REFUSAL.get(who, TOKEN_REFUSAL)


def sweep(identities: dict, calls: list[tuple[str, str, dict]], every_identity: bool = True) -> list[str]:
	"""Send each (verb, path, request kwargs) as every identity (or, to keep the run short, each as the
	next identity in turn); what the gate did not refuse."""
	names = list(identities)
	if every_identity:
		jobs = [(who, call) for who in names for call in calls]
	else:
		jobs = [(names[i % len(names)], call) for i, call in enumerate(calls)]

	def run(job):
		who, (verb, path, kwargs) = job
		status, text = send(identities[who], verb, path, **kwargs)
		return None if refused(status, text, who) else f"{who} {verb} {path} {kwargs} → {status} {text[:160]}"

	with ThreadPoolExecutor(max_workers=6) as pool:
		return [line for line in pool.map(run, jobs) if line]


def report(leaks: list[str]) -> str:
	return f"{len(leaks)} calls were not refused by the gate:\n" + "\n".join(leaks[:40])


def test_every_whitelisted_method_outside_the_allow_list_is_refused(surface, identities, capsys):
	closed = [row["path"] for row in surface["methods"] if not is_open(row["path"], surface)]
	api = [row["path"] for row in surface["methods"] if is_open(row["path"], surface)]
	with capsys.disabled():
		print(
			f"\nallow-list for mini-program sessions: framework methods {surface['framework_methods']};"
			f" whitelisted methods under {surface['api_packages']} ({len(api)});"
			f" refused: {len(closed)} other whitelisted methods of {surface['apps']}"
			f" ({len(surface['import_failures'])} modules not importable: {sorted(surface['import_failures'])})"
		)
	leaks = sweep(identities, [("POST", f"/api/method/{path}", {"json": {}}) for path in closed])
	# the other spellings of the same call, each method as one of the three identities in turn
	other_routes = [("GET", f"/api/v2/method/{path}", {}) for path in closed]
	other_routes += [("POST", f"/api/v1/method/{path}/anything", {"json": {}}) for path in closed[::5]]
	leaks += sweep(identities, other_routes, every_identity=False)
	assert not leaks, report(leaks)


def test_the_allowed_framework_methods_still_answer(surface, identities):
	"""Each allowed framework method is passed to Frappe (which answers as it always does, never in
	the gate's shape): the login page, its password reset and e-mail link, logging out, ping."""
	for path in surface["framework_methods"]:
		for who, headers in identities.items():
			status, text = send(headers, "POST", f"/api/method/{path}", data=ALLOWED_ARGS.get(path, {}))
			assert not refused(status, text, who), (who, path, status, text[:300])
			assert status < 500, (who, path, status, text[:300])
	assert send({}, "GET", "/api/method/ping") == (200, '{"message":"pong"}')


def document_calls(doctype: dict, doc_methods: list[str]) -> list[tuple[str, str, dict]]:
	"""Every way Frappe offers to read, count, group, write or run a method on `doctype`."""
	name, fields = doctype["name"], doctype["fields"] or ["name"]
	record = doctype["sample"] or PROBE
	query = {
		"fields": json.dumps(["name", *fields, "count(name) as n"]),
		"filters": json.dumps([[fields[0], "like", "1%"]]),
		"group_by": fields[-1],
		"limit_page_length": 0,
	}
	generic = {"doctype": name, "filters": {fields[0]: ["like", "1%"]}}
	calls = [
		("GET", f"/api/resource/{name}", {}),
		("GET", f"/api/resource/{name}", {"params": query}),
		("GET", f"/api/v1/resource/{name}", {"params": query}),
		("GET", f"/api/resource/{name}/{record}", {}),
		("POST", f"/api/resource/{name}", {"json": {}}),
		("PUT", f"/api/resource/{name}/{PROBE}", {"json": {}}),
		("DELETE", f"/api/resource/{name}/{PROBE}", {}),
		("POST", f"/api/resource/{name}/{PROBE}", {"json": {"run_method": "save"}}),
		("GET", f"/api/v2/document/{name}", {"params": query}),
		("GET", f"/api/v2/document/{name}/{record}", {}),
		("POST", f"/api/v2/document/{name}", {"json": {}}),
		("PATCH", f"/api/v2/document/{name}/{PROBE}", {"json": {}}),
		("DELETE", f"/api/v2/document/{name}/{PROBE}", {}),
		("POST", f"/api/v2/document/{name}/{PROBE}/method/save", {"json": {}}),
		("GET", f"/api/v2/doctype/{name}/count", {"params": {"filters": query["filters"]}}),
		("GET", f"/api/v2/doctype/{name}/meta", {}),
		("POST", "/api/method/frappe.client.get_count", {"json": generic}),
		(
			"GET",
			"/api/v2/method/frappe.client.get_count",
			{"params": {**generic, "filters": query["filters"]}},
		),
		(
			"POST",
			"/api/method/frappe.client.get_list",
			{"json": {**generic, "fields": ["name"], "group_by": fields[-1]}},
		),
		("POST", "/api/method/frappe.desk.reportview.get_count", {"json": generic}),
		("POST", "/api/method/frappe.client.validate_link", {"json": {"doctype": name, "docname": record}}),
		("POST", "/api/method/run_doc_method", {"json": {"dt": name, "dn": PROBE, "method": "save"}}),
		(
			"POST",
			"/api/v2/method/run_doc_method",
			{"json": {"document": {"doctype": name}, "method": "save"}},
		),
		("POST", "/", {"data": {"cmd": "frappe.client.get_count", "doctype": name}}),  # the website's way
		("POST", OPEN_PATH, {"json": {"cmd": "frappe.client.get_count", **generic}}),  # cmd wins over path
	]
	calls += [("POST", f"/api/v2/method/{name}/{method}", {"json": {}}) for method in doc_methods or ["save"]]
	return calls


def test_document_apis_are_refused_for_every_hs_doctype(surface, identities):
	methods = {}
	for row in surface["doc_methods"]:
		methods.setdefault(row["doctype"], []).append(row["method"])
	assert len(surface["hs_doctypes"]) > 20 and "HS Customer Address" in {
		d["name"] for d in surface["hs_doctypes"]
	}
	calls = [
		call
		for doctype in surface["hs_doctypes"]
		for call in document_calls(doctype, methods.get(doctype["name"]))
	]
	leaks = sweep(identities, calls, every_identity=False)  # each route meets every identity across DocTypes
	assert not leaks, report(leaks)


def test_the_reported_probes_are_refused_and_desk_keeps_them(identities, ops):
	"""The issue's requests: a phone digit by digit through get_count with filters, a 500 on HS Payment
	Settings, validate_link on another customer's address. Staff in Desk still get their answers."""
	digit = {"doctype": "HS Customer Address", "filters": {"contact_phone": ["like", "139%"]}}
	link = {"doctype": "HS Customer Address", "docname": PROBE}
	for who, headers in identities.items():
		for path, args in (
			("frappe.client.get_count", digit),
			("frappe.client.get_count", {"doctype": "HS Payment Settings"}),
			("frappe.client.get_count", {"doctype": "HS Access Token"}),
			("frappe.client.validate_link", link),
		):
			status, text = send(headers, "POST", f"/api/method/{path}", json=args)
			assert refused(status, text, who), (who, path, status, text[:300])
	counted = ops.call("frappe.client.get_count", **digit)
	assert counted.status_code == 200 and isinstance(counted.json()["message"], int), counted.text
	assert ops.call("frappe.client.validate_link", **link).status_code == 200


def test_guest_still_logs_in_on_the_login_page():
	"""Desk's login page as a browser uses it: the page, then `cmd=login` posted to "/"."""
	browser = requests.Session()
	browser.headers["X-Frappe-Site-Name"] = SITE
	assert browser.get(f"{BASE_URL}/login", timeout=60).status_code == 200
	logged_in = browser.post(
		f"{BASE_URL}/",
		data={"cmd": "login", "usr": "ops@demo.home", "pwd": "demo1234"},
		headers={"Accept": "application/json", "X-Requested-With": "XMLHttpRequest"},
		timeout=60,
	)
	assert logged_in.status_code == 200 and logged_in.json()["message"] == "Logged In", logged_in.text
	desk = browser.get(f"{BASE_URL}/app", timeout=60)
	assert desk.status_code == 200 and "csrf_token" in desk.text
