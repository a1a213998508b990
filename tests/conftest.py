"""Fixtures for suites that drive a running site over HTTP (started by bench-config/test.sh)."""

import os

import pytest
import requests

BASE_URL = os.environ.get("HS_BASE_URL", "http://127.0.0.1:8000")
DEMO_PASSWORD = "demo1234"


class Client:
	"""A logged-in browser-like session: cookies plus the CSRF token Desk uses."""

	def __init__(self, user: str | None = None, password: str = DEMO_PASSWORD):
		self.http = requests.Session()
		# gunicorn serves every site of the bench: name ours (nginx would route by Host instead)
		self.http.headers["X-Frappe-Site-Name"] = os.environ.get("HS_SITE", "home.localhost")
		self.user = user
		if user:
			response = self.http.post(
				f"{BASE_URL}/api/method/login", data={"usr": user, "pwd": password}, timeout=30
			)
			assert response.status_code == 200, response.text

	def get(self, path: str, **params):
		return self.http.get(f"{BASE_URL}{path}", params=params, timeout=60)

	def post(self, path: str, **kwargs):
		return self.http.post(f"{BASE_URL}{path}", timeout=60, **kwargs)

	def put(self, path: str, **kwargs):
		return self.http.put(f"{BASE_URL}{path}", timeout=60, **kwargs)

	def call(self, method: str, **data):
		return self.post(f"/api/method/{method}", json=data)


@pytest.fixture(scope="session")
def admin():
	return Client("Administrator", os.environ.get("HS_ADMIN_PASSWORD", "admin"))


@pytest.fixture(scope="session")
def ops():
	return Client("ops@demo.home")


@pytest.fixture(scope="session")
def dispatcher():
	return Client("dispatcher@demo.home")


@pytest.fixture(scope="session")
def demo_customer():
	return Client("customer@demo.home")


@pytest.fixture(scope="session")
def demo_technician():
	return Client("tech@demo.home")


@pytest.fixture(scope="session")
def guest():
	return Client()


def server_side_token(user: str, client: str = "WeChat Mini Program") -> str:
	"""A mini-program token minted on the server (test setup only), as a login method would."""
	import json as _json
	import os as _os
	import subprocess

	root = _os.environ.get("ROOT", _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__))))
	out = subprocess.run(
		[
			f"{root}/bench-config/bench",
			"--site",
			_os.environ.get("HS_SITE", "home.localhost"),
			"execute",
			"home_service.access.tokens.issue_token",
			"--kwargs",
			_json.dumps({"user": user, "client": client}),
		],
		capture_output=True,
		text=True,
		check=True,
	).stdout
	return _json.loads(out[out.index("{") :])["token"]


class TokenClient(Client):
	"""A mini-program session: X-HS-Token header, no cookies, no CSRF."""

	def __init__(self, token: str):
		super().__init__()
		self.http.headers["X-HS-Token"] = token


@pytest.fixture(scope="session")
def customer_token():
	return server_side_token("customer@demo.home")


@pytest.fixture(scope="session")
def technician_token():
	return server_side_token("tech@demo.home", "Technician App")
