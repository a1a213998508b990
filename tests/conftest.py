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
