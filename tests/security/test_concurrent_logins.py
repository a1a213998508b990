"""A burst of first-time logins (a promotion's new users) and of technician applications, all at once
over real HTTP: every call succeeds, each person gets exactly one User and one HS Customer (or
HS Technician), and nothing lands in the Error Log (issue 14 point 2).

Before the fix, two first logins at once deadlocked inside Frappe's User.validate (its
`ask_pass_update` deletes and re-inserts one tabDefaultValue row under a locking read) and answered 500.
"""

import json
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from auth_helpers import MiniProgram, error_of, random_phone
from hs_client import BASE_URL
from mini_program import API

BURST = 50
PEOPLE = 40  # 10 of them tap twice: their two codes reach the server at the same moment


def at_once(calls: list, workers: int = BURST) -> list:
	with ThreadPoolExecutor(workers) as pool:
		return list(pool.map(lambda call: call(), calls))


def statuses(responses) -> dict[int, int]:
	counts: dict[int, int] = {}
	for response in responses:
		counts[response.status_code] = counts.get(response.status_code, 0) + 1
	return counts


def assert_all_ok(responses) -> None:
	failed = [(r.status_code, r.text[:200]) for r in responses if r.status_code != 200]
	assert not failed, f"{statuses(responses)}: {failed[:3]}"


def count(admin, doctype: str, filters: dict | None = None) -> int:
	response = admin.get(
		"/api/method/frappe.client.get_count", doctype=doctype, filters=json.dumps(filters or {})
	)
	assert response.status_code == 200, response.text
	return response.json()["message"]


def customers_by(admin, field: str, values: list[str]) -> list[dict]:
	response = admin.get(
		"/api/resource/HS Customer",
		filters=json.dumps([[field, "in", values]]),
		fields=json.dumps(["name", "user", field]),
		limit_page_length=1000,
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


@pytest.fixture
def error_log(admin):
	"""Fails the test when it wrote Error Log rows."""
	before = count(admin, "Error Log")
	yield
	assert count(admin, "Error Log") == before, "the burst wrote Error Log rows"


def people_with_doubles(make_identity) -> tuple[list[str], list[str]]:
	"""PEOPLE identities; BURST calls: every person once, the first BURST - PEOPLE of them twice."""
	people = [make_identity() for _person in range(PEOPLE)]
	return people, people + people[: BURST - PEOPLE]


def assert_one_customer_each(admin, field: str, people: list[str], replies: list[dict]) -> None:
	rows = customers_by(admin, field, people)
	assert sorted(row[field] for row in rows) == sorted(people), "a person has no or two HS Customers"
	assert len({row["user"] for row in rows}) == len(people) and all(row["user"] for row in rows)
	by_person = {row[field]: row["name"] for row in rows}
	assert {reply["customer"] for reply in replies} == set(by_person.values())


def test_fifty_first_wechat_logins_at_once(providers, admin, error_log):
	wechat = providers.wechat
	people, calls = people_with_doubles(lambda: "o" + secrets.token_urlsafe(20))
	codes = [wechat.login_code(openid=openid) for openid in calls]
	users_before = count(admin, "User")
	responses = at_once([lambda code=code: MiniProgram().auth("wechat_login", code=code) for code in codes])
	assert_all_ok(responses)
	replies = [r.json()["message"] for r in responses]
	assert_one_customer_each(admin, "wechat_openid", people, replies)
	for index, second_tap in enumerate(replies[PEOPLE:]):  # both taps of a person: the same customer
		assert second_tap["customer"] == replies[index]["customer"]
	assert count(admin, "User") == users_before + PEOPLE  # no orphan User from a lost race


def test_fifty_first_alipay_logins_at_once(providers, admin, error_log):
	alipay = providers.alipay
	people, calls = people_with_doubles(lambda: "2088" + str(secrets.randbelow(10**12)).zfill(12))
	codes = [alipay.auth_code(user_id=user_id) for user_id in calls]
	responses = at_once(
		[lambda code=code: MiniProgram().auth("alipay_login", auth_code=code) for code in codes]
	)
	assert_all_ok(responses)
	assert_one_customer_each(admin, "alipay_user_id", people, [r.json()["message"] for r in responses])


def test_fifty_first_sms_logins_at_once(providers, admin, error_log):
	people, calls = people_with_doubles(random_phone)
	assert_all_ok(
		at_once([lambda phone=phone: MiniProgram().auth("sms_send_code", phone=phone) for phone in people])
	)
	codes = {phone: providers.sms.last_code(phone) for phone in people}
	responses = at_once(
		[
			lambda phone=phone: MiniProgram().auth("sms_login", phone=phone, code=codes[phone])
			for phone in calls
		]
	)
	# a code is single use: of one person's two taps, one logs in and the other is told the code is used
	ok = [r for r in responses if r.status_code == 200]
	refused = [r for r in responses if r.status_code != 200]
	assert len(ok) >= PEOPLE and all(r.status_code == 401 for r in refused), statuses(responses)
	assert all(error_of(r)["code"] for r in refused)
	assert_one_customer_each(admin, "mobile_no", people, [r.json()["message"] for r in ok])


def test_fifty_technicians_apply_at_once(providers, admin, ops, error_log):
	logins = at_once(
		[lambda: MiniProgram().auth("wechat_login", code=providers.wechat.login_code()) for _ in range(BURST)]
	)
	assert_all_ok(logins)
	tokens = [r.json()["message"]["token"] for r in logins]
	skill = ops.get("/api/resource/HS Skill", limit_page_length=1).json()["data"][0]["name"]
	area = ops.get(
		"/api/resource/HS Service Area", filters=json.dumps({"is_active": 1}), limit_page_length=1
	).json()["data"][0]["name"]
	phones = [random_phone() for _token in tokens]

	def apply(token: str, phone: str):
		return MiniProgram(token).http.post(
			f"{BASE_URL}{API}technician.onboarding.apply",
			json={
				"technician_name": "并发师傅" + phone[-4:],
				"mobile_no": phone,
				"skills": [skill],
				"service_areas": [area],
				"qualifications": [{"qualification_type": "ID Card", "certificate_no": "11010519491231002X"}],
			},
			timeout=60,
		)

	responses = at_once([lambda t=t, p=p: apply(t, p) for t, p in zip(tokens, phones, strict=True)])
	assert_all_ok(responses)
	technicians = {r.json()["message"]["technician"] for r in responses}
	assert len(technicians) == BURST
	rows = admin.get(
		"/api/resource/HS Technician",
		filters=json.dumps([["mobile_no", "in", phones]]),
		fields=json.dumps(["name", "user", "review_status"]),
		limit_page_length=1000,
	).json()["data"]
	assert {row["name"] for row in rows} == technicians
	assert len({row["user"] for row in rows}) == BURST
	assert {row["review_status"] for row in rows} == {"Pending"}
