"""Many customers paying at the same moment, over real HTTP (issue 21): every `pay` answers 200 and
each booking gets exactly one provider order (one HS Payment, one out_trade_no, one order at the
WeChat Pay fake), whether fifty customers pay fifty bookings or fifty taps pay one.

Before the fix 9 of 30 concurrent pays answered 500 QueryDeadlockError: each pay's locking read of
the booking's open orders took a gap lock on HS Payment's booking index, and two such gaps crossed
with the inserts of the new orders.
"""

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from conftest import ITEM
from hs_client import TokenClient, bench_execute
from mini_program import API, ok, wait_for

PAY = "home_service.api.customer.payments.pay"
CANCEL = "home_service.api.customer.bookings.cancel_booking"
BURST = 50


def at_once(calls: list) -> list:
	with ThreadPoolExecutor(BURST) as pool:
		return list(pool.map(lambda call: call(), calls))


def statuses(responses) -> dict[int, int]:
	counts: dict[int, int] = {}
	for response in responses:
		counts[response.status_code] = counts.get(response.status_code, 0) + 1
	return counts


def pay_errors(admin) -> int:
	"""Error Log rows about paying: a failed or given-up pay, a provider call that failed. (Other rows
	may come from earlier suites' jobs the worker finishes meanwhile.)"""
	response = admin.get(
		"/api/method/frappe.client.get_count",
		doctype="Error Log",
		filters=json.dumps([["method", "like", "%pay%"]]),
	)
	assert response.status_code == 200, response.text
	return response.json()["message"]


def window_places(client, address: str) -> list[str]:
	"""Free window starts of the next two weeks, each repeated as often as technicians are free then."""
	start = date.today() + timedelta(days=1)
	slots = ok(
		client.get(
			f"{API}customer.bookings.get_slots",
			item=ITEM,
			address=address,
			date_from=str(start),
			date_to=str(start + timedelta(days=13)),
		)
	)
	return [w["start"] for day in slots["days"] for w in day["windows"] for _ in range(w["capacity"])]


def enough_places(client, address: str, count: int) -> list[str]:
	"""At least `count` window places: a standby technician is staged when the demo city has fewer."""
	places = window_places(client, address)
	for fresh in (False, True):  # the standby staged before, then a new one
		if len(places) >= count:
			break
		bench_execute(
			"home_service.tests.http_staging.stage_capacity", address=address, item=ITEM, fresh=fresh
		)
		places = window_places(client, address)
	assert len(places) >= count, f"only {len(places)} technician hours free in the next two weeks"
	return places


def create_booking(client, address: str, window: str):
	return client.call(
		"home_service.api.customer.bookings.create_booking",
		items=[{"service_item": ITEM, "quantity": 1}],
		address=address,
		window_start=window,
		idempotency_key=f"pytest-burst-{uuid.uuid4().hex}",
	)


@pytest.fixture(scope="module")
def unpaid(world, admin) -> list[tuple[TokenClient, str]]:
	"""BURST new customers, each with one unpaid booking (made concurrently, spread over free windows)."""
	customers = at_once([world.customer for _ in range(BURST)])
	addresses = at_once(
		[
			lambda c=c: ok(c.get(f"{API}customer.addresses.list_addresses"))["items"][0]["address"]
			for c in customers
		]
	)
	places = enough_places(customers[0], addresses[0], BURST)
	made = at_once(
		[
			lambda c=c, a=a, w=w: create_booking(c, a, w)
			for c, a, w in zip(customers, addresses, places, strict=False)
		]
	)
	bookings = []
	for client, address, response in zip(customers, addresses, made, strict=True):
		if response.status_code == 409:  # concurrent bookings filled that window: the first free one
			response = create_booking(client, address, window_places(client, address)[0])
		bookings.append((client, ok(response)["booking"]))
	yield bookings
	cancel_and_close(admin, bookings)


def cancel_and_close(admin, bookings: list[tuple[TokenClient, str]]) -> None:
	"""The customers cancel, and the worker closes their orders at the provider: no open order is left
	for the payment recovery job to ask about, and no technician hours stay held."""
	answers = at_once([lambda c=c, b=b: c.call(CANCEL, booking=b) for c, b in bookings])
	assert statuses(answers) == {200: len(bookings)}, [a.text[:200] for a in answers if a.status_code != 200]
	names = [b for _c, b in bookings]
	wait_for(lambda: not any(payments_of(admin, names, status="Created").values()), seconds=180)


def payments_of(admin, bookings: list[str], status: str | None = None) -> dict[str, list[str]]:
	filters = [["booking", "in", bookings]] + ([["status", "=", status]] if status else [])
	response = admin.get(
		"/api/resource/HS Payment",
		filters=json.dumps(filters),
		fields=json.dumps(["booking", "out_trade_no"]),
		limit_page_length=10 * len(bookings),
	)
	assert response.status_code == 200, response.text
	orders: dict[str, list[str]] = {name: [] for name in bookings}
	for row in response.json()["data"]:
		orders[row["booking"]].append(row["out_trade_no"])
	return orders


def test_fifty_customers_pay_at_once(world, admin, unpaid):
	errors, orders = pay_errors(admin), world.pay.counts["orders"]
	answers = at_once([lambda c=c, b=b: c.call(PAY, booking=b) for c, b in unpaid])
	assert statuses(answers) == {200: BURST}, [a.text[:200] for a in answers if a.status_code != 200][:3]
	names = [b for _c, b in unpaid]
	stored = payments_of(admin, names)
	assert all(len(nos) == 1 for nos in stored.values()), stored
	assert sorted(a.json()["message"]["out_trade_no"] for a in answers) == sorted(
		nos[0] for nos in stored.values()
	)
	assert world.pay.counts["orders"] == orders + BURST  # one provider order per booking, no more
	assert pay_errors(admin) == errors


def test_fifty_taps_on_one_booking_open_one_order(world, admin):
	customer = world.customer()
	address = ok(customer.get(f"{API}customer.addresses.list_addresses"))["items"][0]["address"]
	booking = ok(create_booking(customer, address, enough_places(customer, address, 1)[0]))["booking"]
	token = customer.http.headers["X-HS-Token"]
	orders = world.pay.counts["orders"]
	answers = at_once([lambda: TokenClient(token).call(PAY, booking=booking) for _ in range(BURST)])
	assert statuses(answers) == {200: BURST}, [a.text[:200] for a in answers if a.status_code != 200][:3]
	assert len({json.dumps(a.json()["message"], sort_keys=True) for a in answers}) == 1
	assert len(payments_of(admin, [booking])[booking]) == 1
	assert world.pay.counts["orders"] == orders + 1
	cancel_and_close(admin, [(customer, booking)])
