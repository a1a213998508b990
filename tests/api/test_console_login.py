"""Logging in by text message on a development site (README, "Log in as a mini-program user"): the
Console SMS provider writes the code to the Error Log and `bench hs-last-code PHONE` prints it."""

import os
import secrets
import subprocess

import pytest
import requests
from fakes.site import hs_settings
from hs_client import BASE_URL

SITE = os.environ.get("HS_SITE", "home.localhost")
ROOT = os.environ.get("ROOT", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
AUTH = f"{BASE_URL}/api/method/home_service.api.auth"


def random_phone() -> str:
	return "1" + secrets.choice("3456789") + str(secrets.randbelow(10**9)).zfill(9)


def hs_last_code(phone: str) -> subprocess.CompletedProcess:
	return subprocess.run(
		[f"{ROOT}/bench-config/bench", "--site", SITE, "hs-last-code", phone],
		capture_output=True,
		text=True,
		timeout=120,
	)


def post(method: str, **data) -> requests.Response:
	headers = {"X-Frappe-Site-Name": SITE, "X-Forwarded-For": f"10.99.{secrets.randbelow(256)}.7"}
	return requests.post(f"{AUTH}.{method}", json=data, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def console(admin):
	with hs_settings(admin, sms_provider="Console"):
		yield


def log_in(phone: str, **kwargs) -> dict:
	assert post("sms_send_code", phone=phone).status_code == 200
	printed = hs_last_code(phone)
	assert printed.returncode == 0, printed.stderr
	code = printed.stdout.strip().splitlines()[-1]
	assert len(code) == 6 and code.isdigit(), printed.stdout
	reply = post("sms_login", phone=phone, code=code, **kwargs)
	assert reply.status_code == 200, reply.text
	return reply.json()["message"]


def test_a_customer_logs_in_with_the_code_the_command_prints(console):
	assert "customer" in log_in(random_phone())


def test_a_technician_logs_in_with_it_too(console, ops):
	phone = random_phone()
	created = ops.post(
		"/api/resource/HS Technician", json={"technician_name": "控制台师傅", "mobile_no": phone}
	)
	assert created.status_code == 200, created.text
	assert log_in(phone, as_technician=True)["technician"] == created.json()["data"]["name"]


def test_a_number_without_a_code_is_refused_plainly(console):
	printed = hs_last_code(random_phone())
	assert printed.returncode != 0 and "No valid code" in printed.stderr
	assert "Traceback" not in printed.stderr
