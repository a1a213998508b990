"""Our X-HS-Token over HTTP: revocation, expiry, forgery; never a fallback to Guest (case 35)."""

import json

import pytest
from auth_helpers import MiniProgram, error_of


@pytest.fixture
def customer(providers):
	reply = providers.sms_login()
	return MiniProgram(reply["token"]), reply


def token_record(admin, token: str) -> str:
	rows = admin.get(
		"/api/resource/HS Access Token",
		filters=json.dumps([["token_hint", "=", token[-4:]], ["revoked", "=", 0]]),
		fields=json.dumps(["name", "user"]),
	).json()["data"]
	assert len(rows) == 1, rows
	return rows[0]["name"]


def assert_unauthenticated(response):
	assert response.status_code == 401, response.text
	assert error_of(response)["code"] == "UNAUTHENTICATED"


def test_logout_revokes_the_token(customer):
	client, _reply = customer
	assert client.me().status_code == 200
	response = client.auth("logout")
	assert response.status_code == 200, response.text
	assert_unauthenticated(client.me())
	assert_unauthenticated(client.auth("logout"))


def test_revoking_in_desk_applies_at_once(customer, admin):
	client, reply = customer
	assert client.me().status_code == 200  # the token is cached now
	name = token_record(admin, reply["token"])
	assert admin.put(f"/api/resource/HS Access Token/{name}", json={"revoked": 1}).status_code == 200
	assert_unauthenticated(client.me())


def test_expired_token_is_refused(customer, admin):
	client, reply = customer
	assert client.me().status_code == 200
	name = token_record(admin, reply["token"])
	response = admin.put(f"/api/resource/HS Access Token/{name}", json={"expires_on": "2020-01-01 00:00:00"})
	assert response.status_code == 200, response.text
	assert_unauthenticated(client.me())


def test_forged_tokens_never_fall_back_to_guest(customer):
	_client, reply = customer
	token = reply["token"]
	for forged in (
		token[:-1] + ("A" if token[-1] != "A" else "B"),
		"hs_" + "x" * 43,
		"not-ours",
		"hs_" + "x" * 300,
	):
		assert_unauthenticated(MiniProgram(forged).me())
		# a guest endpoint with a bad token is refused too, rather than served as Guest
		assert MiniProgram(forged).auth("sms_send_code", phone="13800000000").status_code == 401


def test_identity_needs_a_login(providers):
	response = MiniProgram().me()
	assert response.status_code in (401, 403)
	error_of(response)
