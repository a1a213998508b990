"""A penalty end to end over HTTP: staff draft and apply it in Desk's API, the technician sees the
deduction in the app and appeals, staff uphold the appeal, and the money comes back once; the
ledger holds one posting each way, balanced. A throw-away technician keeps the demo data as is."""

import json

import pytest
from hs_client import TokenClient, bench_execute

PENALTY = "HS Technician Penalty"
API = "/api/method/home_service.api.technician."
APPLY = "/api/method/home_service.billing.desk.apply_penalty"


@pytest.fixture(scope="module")
def accounts():
	created = bench_execute("home_service.tests.fuzz_accounts.create")
	yield created
	bench_execute(
		"home_service.tests.fuzz_accounts.remove",
		customer=created["customer"],
		technician=created["technician"],
	)


def ok(response) -> dict:
	assert response.status_code == 200, response.text[:500]
	return response.json().get("message") or response.json().get("data")


def test_an_upheld_appeal_waives_a_penalty_once(ops, accounts):
	technician = TokenClient(accounts["technician_token"])
	customer = TokenClient(accounts["customer_token"])

	def balances() -> dict:
		return ok(technician.get(API + "earnings.earnings_summary"))["balances"]

	def penalties() -> list:
		return ok(technician.get(API + "penalties.list_penalties"))["items"]

	before = balances()
	draft = ok(
		ops.post(
			f"/api/resource/{PENALTY}",
			json={"technician": accounts["technician"], "amount": 12.5, "reason": "未穿工服上门"},
		)
	)
	assert (draft["status"], draft["amount_fen"]) == ("Draft", 1250)
	assert penalties() == []  # a draft is not a decision yet

	assert ok(ops.post(APPLY, json={"name": draft["name"]}))["status"] == "Applied"
	[item] = penalties()
	assert (item["penalty"], item["amount"], item["status"], item["can_appeal"]) == (
		draft["name"],
		"12.50",
		"Applied",
		True,
	)
	after = balances()
	assert float(after["pending"]) + float(after["available"]) == pytest.approx(
		float(before["pending"]) + float(before["available"]) - 12.5
	)
	assert customer.get(f"/api/resource/{PENALTY}/{draft['name']}").status_code == 403

	appeal = ok(
		technician.post(
			API + "reviews.create_appeal",
			json={
				"subject": "罚款申诉",
				"reason": "当天已穿工服，有照片",
				"reference_doctype": PENALTY,
				"reference_name": draft["name"],
			},
		)
	)["appeal"]
	assert penalties()[0]["status"] == "Appealed"
	upheld = {"status": "Upheld", "resolution": "照片属实，撤销罚款"}
	for _twice in range(2):
		ok(ops.put(f"/api/resource/HS Appeal/{appeal}", json=upheld))

	[item] = penalties()
	assert (item["status"], item["waive_reason"], item["appeal"]["status"]) == (
		"Waived",
		"照片属实，撤销罚款",
		"Upheld",
	)
	assert balances() == before
	lines = ok(
		ops.get(
			"/api/resource/HS Ledger Entry",
			filters=json.dumps({"voucher_type": PENALTY, "voucher_no": draft["name"]}),
			fields=json.dumps(["posting_key", "amount_fen"]),
			limit_page_length=50,
		)
	)
	keys = {row["posting_key"] for row in lines}
	assert keys == {f"{draft['name']}:applied", f"{draft['name']}:waived"}
	assert sum(row["amount_fen"] for row in lines) == 0
