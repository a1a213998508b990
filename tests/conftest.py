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
