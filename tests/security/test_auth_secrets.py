"""Secrets never leave the server: not in responses, the Error Log or the bench's logs (case 36).

Drives every login path, good and failing (provider down, forged gateway answer, a key that cannot
be parsed), collects each response, then reads the Error Log rows and log lines written meanwhile
and looks for the WeChat AppSecret and session_keys, WeChat access tokens, the Alipay private key,
the SMS key secret, every OTP code and every full mobile number used.
"""

import json
from pathlib import Path

import pytest
from auth_helpers import MiniProgram, error_of, random_phone
from fakes import new_keypair
from fakes.site import ROOT, SITE, hs_settings


def latest_error_log(admin) -> str:
	rows = admin.get(
		"/api/resource/Error Log",
		fields=json.dumps(["creation"]),
		order_by="creation desc",
		limit_page_length=1,
	).json()["data"]
	return rows[0]["creation"] if rows else "2000-01-01"


def error_logs_since(admin, since: str) -> list[dict]:
	return admin.get(
		"/api/resource/Error Log",
		fields=json.dumps(["name", "method", "error"]),
		filters=json.dumps([["creation", ">", since]]),
		limit_page_length=0,
	).json()["data"]


def log_files() -> dict[Path, int]:
	paths = [*(ROOT / "logs").glob("*.log"), *(ROOT / "sites" / SITE / "logs").glob("*.log")]
	return {path: path.stat().st_size for path in paths if path.is_file()}


def appended(sizes: dict[Path, int]) -> str:
	text = []
	for path in log_files():
		with path.open("rb") as f:
			f.seek(sizes.get(path, 0))
			text.append(f.read().decode(errors="replace"))
	return "\n".join(text)


@pytest.fixture(scope="module")
def exercised(providers, admin):
	"""Run every flow once; return (responses, error logs, log text, phones, codes)."""
	since, sizes = latest_error_log(admin), log_files()
	responses, phones = [], []

	def call(client, method, **data):
		response = client.auth(method, **data)
		responses.append(response.text)
		return response

	wechat, alipay, sms = providers.wechat, providers.alipay, providers.sms
	login = call(MiniProgram(), "wechat_login", code=wechat.login_code())
	customer = MiniProgram(login.json()["message"]["token"])
	phones.append(random_phone())
	call(customer, "wechat_bind_phone", code=wechat.phone_code(phones[-1]))
	responses.append(customer.me().text)
	call(MiniProgram(), "alipay_login", auth_code=alipay.auth_code())
	for _attempt in range(2):
		phones.append(random_phone())
		call(MiniProgram(), "sms_send_code", phone=phones[-1])
		call(MiniProgram(), "sms_login", phone=phones[-1], code=sms.last_code(phones[-1]))
	call(MiniProgram(), "sms_login", phone=phones[-1], code=sms.last_code(phones[-1]))  # reused code

	failures = []
	wechat.down = True
	failures.append(call(MiniProgram(), "wechat_login", code=wechat.login_code()))
	wechat.down = False
	alipay.sign_with = new_keypair()
	failures.append(call(MiniProgram(), "alipay_login", auth_code=alipay.auth_code()))
	alipay.sign_with = None
	sms.down = True
	phones.append(random_phone())
	failures.append(call(MiniProgram(), "sms_send_code", phone=phones[-1]))
	sms.down = False
	with hs_settings(admin, alipay_public_key="AAAAAAAA"):  # base64, but no key: the parser crashes
		failures.append(call(MiniProgram(), "alipay_login", auth_code=alipay.auth_code()))
	for response in failures:
		assert response.status_code >= 500, response.text
		assert error_of(response)["code"] == "SERVER_ERROR"

	logs = error_logs_since(admin, since)  # Error Log is MyISAM: rows outlive the failed requests
	titles = {row["method"] for row in logs}
	expected = {
		"HS WeChat call failed",
		"HS Alipay call failed",
		"HS SMS call failed",
		"HS alipay_login failed",
	}
	assert expected <= titles, sorted(titles)
	codes = [m["params"]["code"] for m in sms.messages]
	return responses, logs, appended(sizes), phones, codes


def test_responses_hold_no_secret(providers, exercised):
	responses, _logs, _text, phones, codes = exercised
	body = "\n".join(responses)
	for secret in providers.secret_values() + codes:
		assert secret not in body


def test_error_log_holds_no_secret_code_or_phone(providers, exercised):
	_responses, logs, _text, phones, codes = exercised
	text = "\n".join(
		f"{row['method']}\n{row['error']}" for row in logs if row["method"] != "HS SMS (console)"
	)
	for secret in providers.secret_values() + codes + phones:
		assert secret not in text


def test_scrubbed_server_error_keeps_a_useful_trace(exercised):
	_responses, logs, *_rest = exercised
	crash = next(row for row in logs if row["method"] == "HS alipay_login failed")
	assert "Traceback" in crash["error"] and "alipay" in crash["error"]


def test_log_files_hold_no_secret(providers, exercised):
	_responses, _logs, text, phones, codes = exercised
	for secret in providers.secret_values() + codes:
		assert secret not in text
