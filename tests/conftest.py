"""Fixtures for suites that drive a running site over HTTP (started by bench-config/test.sh)."""

import os

import pytest
from hs_client import Client, server_side_token
from openapi_errors import api_errors_are_documented  # a session fixture: checks every suite


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


@pytest.fixture(scope="session")
def customer_token():
	return server_side_token("customer@demo.home")


@pytest.fixture(scope="session")
def technician_token():
	return server_side_token("tech@demo.home", "Technician App")


@pytest.fixture(scope="session")
def chromium():
	"""Debian's Chromium under Playwright, one for every browser suite of the run (tests/browser,
	tests/miniprogram): Playwright's sync API refuses a second instance in one process."""
	from pathlib import Path
	from urllib.parse import urlparse

	from playwright.sync_api import sync_playwright

	executable = os.environ.get("HS_CHROMIUM", "/usr/bin/chromium")
	if not Path(executable).exists():
		pytest.fail(f"{executable} is missing: bench-config/setup.sh installs Debian's chromium")
	server = urlparse(os.environ.get("HS_BASE_URL", "http://127.0.0.1:8000"))
	site = os.environ.get("HS_SITE", "test.localhost")
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(
			executable_path=executable, args=[f"--host-resolver-rules=MAP {site} {server.hostname}"]
		)
		yield browser
		browser.close()
