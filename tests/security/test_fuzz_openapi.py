"""Property-based run of every documented mini-program method against the running site: schemathesis
reads the served OpenAPI document and sends generated requests (valid and invalid) as a guest, a
customer and a technician; no answer may be a 5xx. The providers point at local fakes meanwhile.

A second run puts one bad value into one argument of each generated request: a lone surrogate, a
NUL, a huge string, bytes that are not UTF-8 (in a query), the wrong JSON type. It must be refused
with a 4xx, and a refused request must change no row (every HS table and the framework tables tests
used to litter, counted around each refused request). A request the API accepts may change rows:
the bad value can be a valid one for that argument (`null` where it is optional, `true` for a flag).

Generated writes go to throw-away accounts made for the run (home_service.tests.fuzz_accounts)."""

import json
import os

import pytest
import requests
import schemathesis
from hs_client import BASE_URL, bench_execute
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from site_counts import RowCounter

SITE = os.environ.get("HS_SITE", "test.localhost")
SPEC = f"{BASE_URL}/api/method/home_service.api.openapi.spec"
MAX_EXAMPLES = int(os.environ.get("HS_FUZZ_EXAMPLES", "6"))
BAD_EXAMPLES = int(os.environ.get("HS_FUZZ_BAD_EXAMPLES", "4"))
SURROGATE = "\ud800"  # JSON may carry it; UTF-8, and so MariaDB, may not
HUGE = "x" * 300_000  # under the 1 MB body limit, over any text we keep
BAD_JSON = (
	SURROGATE,
	"HS-BK-\udfff-1",
	"a\x00b",
	HUGE,
	True,
	-1,
	10**30,
	2.5,
	None,
	[],
	{},
	[SURROGATE],
	{SURROGATE: SURROGATE},
	[{"service_item": SURROGATE, "quantity": True}],
)
# a query string is text: bytes that are not UTF-8 (a surrogate encoded anyway), NUL, huge, absurd numbers
BAD_QUERY = (
	SURROGATE.encode("utf-8", "surrogatepass"),
	b"\xff\xfe",
	"a\x00b",
	"x" * 3000,  # a URL is at most 4 KB (gunicorn)
	"1e999",
	"NaN",
	"-1",
	"",
)
# logout revokes the token every later case needs; it has its own tests in test_auth_tokens.py
SKIP = ("auth.logout",)


@pytest.fixture(scope="module")
def api_schema(providers):
	return schemathesis.openapi.from_url(SPEC, headers={"X-Frappe-Site-Name": SITE}).exclude(
		path_regex="|".join(SKIP)
	)


@pytest.fixture(scope="module")
def fuzz_accounts(providers):
	accounts = bench_execute("home_service.tests.fuzz_accounts.create")
	yield accounts
	bench_execute(
		"home_service.tests.fuzz_accounts.remove",
		customer=accounts["customer"],
		technician=accounts["technician"],
	)


@pytest.fixture(scope="module")
def row_counts():
	counter = RowCounter(SITE)
	yield counter
	counter.close()


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
	max_examples=MAX_EXAMPLES,
	deadline=None,
	derandomize=True,
	suppress_health_check=list(HealthCheck),
	phases=[Phase.explicit, Phase.generate],
)
def test_no_server_errors(case, fuzz_accounts):
	headers = caller_headers(case, fuzz_accounts)
	response = case.call(base_url=BASE_URL, headers=headers, timeout=60)
	assert (
		response.status_code < 500
	), f"{case.method} {case.path} {case.body or case.query} -> {response.status_code}: {response.text[:300]}"


@schema.parametrize()
@schema.given(data=st.data())
@settings(
	max_examples=BAD_EXAMPLES,
	deadline=None,
	derandomize=True,
	suppress_health_check=list(HealthCheck),
	phases=[Phase.generate],
)
def test_bad_values_are_refused_and_change_nothing(case, data, fuzz_accounts, row_counts):
	names = argument_names(case)
	if not names:
		return  # nothing to put a bad value in (extra arguments are ignored)
	name = data.draw(st.sampled_from(names), label="argument")
	bad = data.draw(st.sampled_from(BAD_QUERY if case.method.upper() == "GET" else BAD_JSON), label="value")
	before = row_counts()
	response = send_with(case, name, bad, caller_headers(case, fuzz_accounts))
	what = (
		f"{case.method} {case.path} {name}={str(bad)[:40]!r} -> {response.status_code}: {response.text[:300]}"
	)
	assert response.status_code < 500, what
	if response.status_code < 400:
		return  # accepted: the value was a valid one for this argument after all, and may change rows
	changed = rows_changed(before, row_counts())
	if changed:
		# the worker may have finished earlier work meanwhile; a refusal that writes, writes every time
		before = row_counts()
		send_with(case, name, bad, caller_headers(case, fuzz_accounts))
		changed = rows_changed(before, row_counts())
	assert not changed, f"{what}; rows changed: {changed}"


def send_with(case, name: str, bad, headers: dict) -> requests.Response:
	"""The generated request with `bad` as argument `name` (JSON body, or query string for a GET)."""
	url = f"{BASE_URL}{case.path}"
	if case.method.upper() == "GET":
		return requests.get(url, params={**(case.query or {}), name: bad}, headers=headers, timeout=60)
	body = {**(case.body if isinstance(case.body, dict) else {}), name: bad}
	headers = {**headers, "Content-Type": "application/json"}  # json.dumps escapes a surrogate as JSON may
	return requests.post(url, data=json.dumps(body).encode(), headers=headers, timeout=60)


def rows_changed(before: dict, after: dict) -> dict:
	return {table: (before.get(table), count) for table, count in after.items() if before.get(table) != count}


def caller_headers(case, accounts: dict) -> dict:
	headers = {"X-Frappe-Site-Name": SITE}
	if ".technician." in case.path:
		headers["X-HS-Token"] = accounts["technician_token"]
	elif ".customer." in case.path or case.path.endswith(("auth.me", "wechat_bind_phone")):
		headers["X-HS-Token"] = accounts["customer_token"]
	return headers


def argument_names(case) -> list[str]:
	"""The documented arguments of the case's method: query parameters, or JSON body properties."""
	raw = case.operation.definition.raw
	if case.method.upper() == "GET":
		return [p["name"] for p in raw.get("parameters", [])]
	body = raw.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
	return sorted(body.get("properties", {}))
