"""The OpenAPI document over HTTP: served as JSON, and every operation lists the error answers it can
give (the suites check those lists against every error answer they see: tests/openapi_errors.py)."""

import json

from hs_client import Client

SPEC = "/api/method/home_service.api.openapi.spec"


def test_the_document_is_json_and_lists_each_operations_errors(guest: Client):
	response = guest.get(SPEC)
	assert response.status_code == 200, response.text[:300]
	assert response.headers["Content-Type"].split(";")[0] == "application/json"
	assert "attachment" not in response.headers.get("Content-Disposition", "")
	document = json.loads(response.text)
	assert document["openapi"].startswith("3.") and document["servers"]
	assert len(document["paths"]) > 80
	for path, item in document["paths"].items():
		for method, operation in item.items():
			errors = {status: r for status, r in operation["responses"].items() if status >= "400"}
			assert {"401", "405"} <= set(errors), f"{method} {path}"
			for status, answer in errors.items():
				schema = answer["content"]["application/json"]["schema"]["allOf"]
				codes = schema[1]["properties"]["error"]["properties"]["code"]["enum"]
				assert codes and answer["description"].endswith(", ".join(codes)), f"{method} {path} {status}"
