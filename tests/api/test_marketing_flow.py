"""Coupons and points over HTTP: staff create a coupon offer, the demo customer claims it (once), uses
it in a quote and a booking, and reads their points. Everything made here is removed again."""

import uuid

import pytest
from hs_client import BASE_URL, TokenClient
from windows import free_windows

API = "/api/method/home_service.api.customer."
ITEM = "KITCHEN-CLEAN-02"


def ok(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


@pytest.fixture(scope="module")
def customer(customer_token):
	return TokenClient(customer_token)


@pytest.fixture(scope="module")
def offer(ops):
	response = ops.post(
		"/api/resource/HS Coupon Template",
		json={
			"template_name": f"pytest 立减5元 {uuid.uuid4().hex[:6]}",
			"enabled": 1,
			"claimable": 1,
			"discount_type": "Fixed Amount",
			"discount_value": 5,
			"validity_type": "Days After Claim",
			"valid_days": 7,
			"quota": 100,
			"per_customer_limit": 1,
		},
	)
	assert response.status_code == 200, response.text
	template = response.json()["data"]["name"]
	yield template
	coupons = ops.get(
		"/api/resource/HS Customer Coupon",
		filters=f'[["template", "=", "{template}"]]',
		limit_page_length=100,
	).json()["data"]
	for row in coupons:
		ops.http.delete(f"{BASE_URL}/api/resource/HS Customer Coupon/{row['name']}", timeout=60)
	ops.http.delete(f"{BASE_URL}/api/resource/HS Coupon Template/{template}", timeout=60)


def adjust(ops, customer_name: str, points: int):
	response = ops.post(
		"/api/resource/HS Points Entry",
		json={"customer": customer_name, "entry_type": "Adjustment", "points": points, "remarks": "pytest"},
	)
	assert response.status_code == 200, response.text


@pytest.fixture(scope="module")
def place(customer):
	rows = ok(customer.get(API + "addresses.list_addresses"))["items"]
	address = next(row["address"] for row in rows if row["serviceable"])
	return address, free_windows(customer, ITEM, address)[-1]


def test_claim_quote_book_and_points(customer, offer, place, ops):
	offered = ok(customer.get(API + "marketing.list_claimable_coupons", page_size=50))
	assert offer in [row["template"] for row in offered["items"]]

	claimed = ok(customer.post(API + "marketing.claim_coupon", json={"template": offer}))
	coupon = claimed["coupon"]
	assert claimed["status"] == "Available" and claimed["valid_to"]
	again = customer.post(API + "marketing.claim_coupon", json={"template": offer})
	assert again.status_code == 409, again.text
	assert "already have" in again.json()["error"]["message"]

	mine = ok(customer.get(API + "marketing.list_my_coupons", status="Available", page_size=50))
	assert coupon in [row["coupon"] for row in mine["items"]]

	address, window = place
	items = [{"service_item": ITEM, "quantity": 1}]
	me = ops.get(
		"/api/resource/HS Customer", filters='[["user", "=", "customer@demo.home"]]', fields='["name"]'
	).json()["data"][0]["name"]
	before = ok(customer.get(API + "marketing.points_balance"))["balance"]
	adjust(ops, me, 100)  # staff credit 100 points (taken back at the end)
	try:
		book_with_coupon_and_points(customer, coupon, address, window, items, before)
	finally:
		adjust(ops, me, -100)
	assert ok(customer.get(API + "marketing.points_balance"))["balance"] == before


def book_with_coupon_and_points(customer, coupon, address, window, items, before):
	balance = ok(customer.get(API + "marketing.points_balance"))
	assert balance["balance"] == before + 100 and balance["currency"] == "CNY"
	history = ok(customer.get(API + "marketing.points_history", page_size=5))
	assert (history["items"][0]["points"], history["items"][0]["type"]) == (100, "Adjustment")
	plain = ok(
		customer.post(
			API + "bookings.get_quote", json={"items": items, "address": address, "window_start": window}
		)
	)
	quote = ok(
		customer.post(
			API + "bookings.get_quote",
			json={
				"items": items,
				"address": address,
				"window_start": window,
				"coupon": coupon,
				"points": 100,
			},
		)
	)
	assert [(d["type"], d["amount"]) for d in quote["deductions"]] == [
		("Coupon", "-5.00"),
		("Points", "-1.00"),
	]
	assert quote["grand_total"] == f"{float(plain['grand_total']) - 6:.2f}"

	created = ok(
		customer.post(
			API + "bookings.create_booking",
			json={
				"items": items,
				"address": address,
				"window_start": window,
				"coupon": coupon,
				"points": 100,
				"idempotency_key": f"pytest-{uuid.uuid4().hex}",
			},
		)
	)
	try:
		assert (created["grand_total"], created["coupon"], created["discount_amount"]) == (
			quote["grand_total"],
			coupon,
			"5.00",
		)
		locked = ok(customer.get(API + "marketing.list_my_coupons", status="Locked", page_size=50))
		assert {"coupon": coupon, "booking": created["booking"]}.items() <= next(
			row for row in locked["items"] if row["coupon"] == coupon
		).items()
		second = customer.post(
			API + "bookings.create_booking",
			json={
				"items": items,
				"address": address,
				"window_start": window,
				"coupon": coupon,
				"idempotency_key": f"pytest-{uuid.uuid4().hex}",
			},
		)
		assert second.status_code == 409, second.text
		assert ok(customer.get(API + "marketing.points_balance"))["balance"] == before
	finally:
		ok(customer.post(API + "bookings.cancel_booking", json={"booking": created["booking"]}))
	back = ok(customer.get(API + "marketing.list_my_coupons", status="Available", page_size=50))
	assert coupon in [row["coupon"] for row in back["items"]]
	# the cancelled unpaid booking gave its 100 points back
	assert ok(customer.get(API + "marketing.points_balance"))["balance"] == before + 100
	history = ok(customer.get(API + "marketing.points_history", page_size=5))
	assert [row["points"] for row in history["items"][:2]] == [100, -100]
	assert [row["type"] for row in history["items"][:2]] == ["Return", "Redemption"]


def test_marketing_methods_need_a_customer(guest):
	response = guest.get(API + "marketing.points_balance")
	assert response.status_code == 401
