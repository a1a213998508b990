"""The API's contract: generated OpenAPI document, token auth, one error shape."""

from hs_client import TokenClient, bench_execute

SPEC = "/api/method/home_service.api.openapi.spec"
PING = "/api/method/home_service.api.openapi.ping"


def test_openapi_document_describes_the_api(guest):
	response = guest.get(SPEC)
	assert response.status_code == 200
	spec = response.json()
	assert spec["openapi"].startswith("3.")
	assert PING in spec["paths"]
	assert spec["components"]["securitySchemes"]["hsToken"]["name"] == "X-HS-Token"
	for path, item in spec["paths"].items():
		assert path.startswith("/api/method/home_service.api."), path
		for method, op in item.items():
			assert op["summary"], f"{method} {path} has no docstring"
			assert "401" in op["responses"] and "422" in op["responses"]


def test_every_endpoint_in_the_source_is_served_with_its_http_methods(guest):
	"""Against the source read by the server (ast, not imports): no method is missing or extra."""
	declared = bench_execute("home_service.tests.api_surface.declared")
	served = guest.get(SPEC).json()["paths"]
	assert len(declared) > 80
	assert {path: sorted(method.upper() for method in item) for path, item in served.items()} == declared
	for path, item in served.items():
		for method, op in item.items():
			if {} in op["security"]:  # a guest may call it
				assert op.get("x-rate-limited") is True, f"{method} {path}"


def test_guest_gets_our_error_shape(guest):
	response = guest.get(PING)
	assert response.status_code == 401
	assert response.json() == {
		"error": {"code": "UNAUTHENTICATED", "message": "Please log in.", "type": "AuthenticationError"}
	}


def test_bad_token_is_refused_in_our_error_shape(guest):
	response = TokenClient("hs_not-a-real-token").get(PING)
	assert response.status_code == 401
	assert response.json()["error"]["code"] == "UNAUTHENTICATED"
	assert "Traceback" not in response.text


def test_token_authenticates(customer_token):
	response = TokenClient(customer_token).get(PING)
	assert response.status_code == 200, response.text
	assert response.json()["message"]["user"] == "customer@demo.home"


def test_unknown_method_is_a_4xx_in_our_shape(customer_token):
	response = TokenClient(customer_token).get("/api/method/home_service.api.openapi.no_such_method")
	assert 400 <= response.status_code < 500
	assert set(response.json()["error"]) == {"code", "message", "type"}
