"""Every writing method of the mini-program API is POST only (security plan, static check 1): walked
from the served OpenAPI document, each one called with GET and otherwise valid credentials is
refused with 405 in the API's error shape and changes nothing. That a method declared GET never
writes is checked on the server side (home_service/api/test_registry.py)."""

import json

import pytest
from hs_client import TokenClient, bench_execute

SPEC = "/api/method/home_service.api.openapi.spec"
SAMPLES = {"string": "x", "integer": 1, "number": 1.5, "boolean": 1}


@pytest.fixture(scope="module")
def spec(guest) -> dict:
	response = guest.get(SPEC)
	assert response.status_code == 200, response.text[:300]
	return response.json()


@pytest.fixture(scope="module")
def accounts():
	"""A throw-away customer and technician (so that no other suite changes them meanwhile)."""
	created = bench_execute("home_service.tests.fuzz_accounts.create")
	yield created
	bench_execute(
		"home_service.tests.fuzz_accounts.remove",
		customer=created["customer"],
		technician=created["technician"],
	)


def fingerprint(accounts) -> dict:
	return bench_execute(
		"home_service.tests.fuzz_accounts.fingerprint",
		customer=accounts["customer"],
		technician=accounts["technician"],
	)


def query_for(operation: dict) -> dict:
	"""The operation's required arguments with a value of the right type, as query parameters."""
	schema = operation["requestBody"]["content"]["application/json"]["schema"]
	params = {}
	for name in schema.get("required", []):
		kind = schema["properties"][name].get("type", "string")
		params[name] = SAMPLES.get(kind) or json.dumps(["x"] if kind == "array" else {})
	return params


def client_for(path: str, operation: dict, accounts, guest):
	if "hsToken" not in operation["security"][0]:
		return guest  # a guest method: no credentials needed
	token = accounts["technician_token"] if ".technician." in path else accounts["customer_token"]
	return TokenClient(token)


def test_writing_methods_are_declared_post_only(spec):
	writes = {path: item for path, item in spec["paths"].items() if "post" in item}
	assert len(writes) > 40, sorted(writes)  # the document lists the API, not a handful of methods
	mixed = {path: sorted(item) for path, item in writes.items() if set(item) != {"post"}}
	assert not mixed, f"a writing method also accepts other verbs: {mixed}"


def test_get_on_every_writing_method_is_405_and_changes_nothing(spec, accounts, guest):
	before = fingerprint(accounts)
	answers = {}
	for path, item in sorted(spec["paths"].items()):
		if "post" not in item:
			continue
		response = client_for(path, item["post"], accounts, guest).get(path, **query_for(item["post"]))
		error = response.json().get("error") or {}
		answers[path] = (response.status_code, error.get("code"), response.headers.get("Allow"))
	refused = (405, "METHOD_NOT_ALLOWED", "POST")
	assert {path: got for path, got in answers.items() if got != refused} == {}
	assert fingerprint(accounts) == before
