"""Issue 14 point 5 over HTTP: get_slots offers a window, and a booking holds a technician, only
when dispatch would offer the job to someone within its search radius (15 km unless an HS Dispatch
Rule says otherwise).

The report: a technician with the right skill and area but no home base (so at 0,0) made get_slots
show capacity 1 and took the booking's hold; after payment dispatch found nobody within 15 km and
the booking went to manual dispatch."""

import uuid

import pytest
from hs_client import TokenClient, bench_execute

API = "/api/method/home_service.api.customer.bookings."
STAGING = "home_service.tests.reach_staging."


@pytest.fixture(scope="module")
def corner():
	staged = bench_execute(f"{STAGING}stage")
	yield staged
	bench_execute(f"{STAGING}remove", staged=staged)


def windows(client, corner) -> list[dict]:
	response = client.get(f"{API}get_slots", item=corner["item"], address=corner["address"])
	assert response.status_code == 200, response.text[:500]
	return [w for day in response.json()["message"]["days"] for w in day["windows"]]


def book(client, corner, start: str):
	return client.post(
		f"{API}create_booking",
		json={
			"items": [{"service_item": corner["item"], "quantity": 1}],
			"address": corner["address"],
			"window_start": start,
			"idempotency_key": f"reach-{uuid.uuid4().hex}",
		},
	)


def test_a_technician_out_of_reach_is_neither_offered_nor_held(corner, admin):
	customer = TokenClient(corner["token"])
	shown = windows(customer, corner)
	assert shown, "get_slots listed no window at all"
	assert {(w["capacity"], w["available"]) for w in shown} == {(0, False)}
	refused = book(customer, corner, shown[0]["start"])
	assert refused.status_code == 409, refused.text[:500]
	assert refused.json()["error"]["code"] == "NO_CAPACITY"

	# staff approve a technician living there: one per window (still not the one at 0,0), held
	neighbour = corner["neighbour"]
	approved = admin.put(f"/api/resource/HS Technician/{neighbour}", json={"review_status": "Approved"})
	assert approved.status_code == 200, approved.text[:500]
	shown = windows(customer, corner)
	assert {(w["capacity"], w["available"]) for w in shown} == {(1, True)}
	created = book(customer, corner, shown[0]["start"])
	assert created.status_code == 200, created.text[:500]
	booking = created.json()["message"]["booking"]
	try:
		record = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"]
		assert record["held_technician"] == neighbour != corner["far_technician"]
	finally:
		cancelled = customer.post(f"{API}cancel_booking", json={"booking": booking})
		assert cancelled.status_code == 200, cancelled.text[:500]
