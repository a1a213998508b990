"""Property-based run of every documented mini-program method against the running site: schemathesis
reads the served OpenAPI document and sends generated requests (valid and invalid) as a guest, a
customer and a technician; no answer may be a 5xx. The providers point at local fakes meanwhile.

Generated writes go to throw-away accounts made for the run (home_service.tests.fuzz_accounts)."""

import os

import pytest
import schemathesis
from hs_client import BASE_URL, bench_execute
from hypothesis import HealthCheck, Phase, settings

SITE = os.environ.get("HS_SITE", "test.localhost")
SPEC = f"{BASE_URL}/api/method/home_service.api.openapi.spec"
MAX_EXAMPLES = int(os.environ.get("HS_FUZZ_EXAMPLES", "6"))
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
	headers = {"X-Frappe-Site-Name": SITE}
	if ".technician." in case.path:
		headers["X-HS-Token"] = fuzz_accounts["technician_token"]
	elif ".customer." in case.path or case.path.endswith(("auth.me", "wechat_bind_phone")):
		headers["X-HS-Token"] = fuzz_accounts["customer_token"]
	response = case.call(base_url=BASE_URL, headers=headers, timeout=60)
	assert (
		response.status_code < 500
	), f"{case.method} {case.path} {case.body or case.query} -> {response.status_code}: {response.text[:300]}"
