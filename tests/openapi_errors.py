"""Every error answer the HTTP suites see from a documented method must be documented for it.

The OpenAPI document lists, per operation, the HTTP error statuses and `error.code` values the code
can answer with (api/raises.py derives them from the source). This session fixture records each error
answer of an API method (core's or an add-on's: every `hs_api_packages` package is in the document)
seen by any test in this run (requests made through `requests`), and at the end of the session fails
the run for an answer the document does not list: a method that raises something new shows up here,
not in a client's crash report.
"""

import json
import os
import threading
from urllib.parse import urlsplit

import pytest
import requests

API = "/api/method/"  # paths the document does not list are skipped in `undocumented`
SPEC = "/api/method/home_service.api.openapi.spec"


class Observed:
	def __init__(self):
		self.lock = threading.Lock()
		self.answers: dict[tuple[str, str, str, str], str] = {}  # (method, path, status, code) -> example

	def record(self, response) -> None:
		request = response.request
		path = urlsplit(request.url).path
		if response.status_code < 400 or not path.startswith(API) or ".notify." in path:
			return
		try:
			code = response.json()["error"]["code"]
		except (ValueError, KeyError, TypeError):
			code = None  # not our error shape: the document cannot be right about it either
		key = (request.method.lower(), path, str(response.status_code), code)
		with self.lock:
			self.answers.setdefault(key, response.text[:200])


def undocumented(answers: dict, document: dict) -> list[str]:
	missing = []
	for (method, path, status, code), example in sorted(answers.items(), key=str):
		operation = document["paths"].get(path, {}).get(method)
		if operation is None:
			continue  # not a documented method (or not with this HTTP verb: that is a 405 elsewhere)
		response = operation["responses"].get(status)
		codes = response and response["content"]["application/json"]["schema"]["allOf"][1]
		codes = codes and codes["properties"]["error"]["properties"]["code"]["enum"]
		if not codes or code not in codes:
			missing.append(f"{method.upper()} {path} answered {status} {code}: {example}")
	return missing


@pytest.fixture(scope="session", autouse=True)
def api_errors_are_documented():
	observed = Observed()
	send = requests.Session.send

	def recording_send(session, request, **kwargs):
		response = send(session, request, **kwargs)
		try:
			observed.record(response)
		except Exception:  # never break the test that made the request
			pass
		return response

	requests.Session.send = recording_send
	try:
		yield observed
	finally:
		requests.Session.send = send
	if not observed.answers:
		return
	base = os.environ.get("HS_BASE_URL", "http://127.0.0.1:8000")
	headers = {"X-Frappe-Site-Name": os.environ.get("HS_SITE", "home.localhost")}
	document = json.loads(requests.get(base + SPEC, headers=headers, timeout=120).text)
	missing = undocumented(observed.answers, document)
	assert not missing, "error answers the OpenAPI document does not list:\n" + "\n".join(missing)
