"""The customer mini-program's flow over HTTP as the demo customer: catalogue, slots, quote, book,
retry, detail, reschedule, cancel, lists and inbox. Bookings made here are cancelled again."""

import uuid

import pytest
from hs_client import TokenClient
from windows import free_windows

API = "home_service.api."
ITEM = "KITCHEN-CLEAN-02"  # 燃气灶清洗: fixed price, 40 minutes, many technicians in the demo city


def call(client, method: str, **data):
	return client.call(API + method, **data)


def get(client, method: str, **params):
	return client.get(f"/api/method/{API}{method}", **params)


def ok(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


@pytest.fixture(scope="module")
def address(demo_customer) -> str:
	rows = ok(get(demo_customer, "customer.addresses.list_addresses"))["items"]
	return next(row["address"] for row in rows if row["serviceable"])


@pytest.fixture(scope="module")
def windows(demo_customer, address) -> list[str]:
	return free_windows(demo_customer, ITEM, address, count=4)


@pytest.fixture
def book(demo_customer, address, windows):
	"""Make bookings for a test and cancel whatever is left of them afterwards."""
	made = []

	def make(window: str | None = None, **extra) -> dict:
		payload = {
			"items": [{"service_item": ITEM, "quantity": 1}],
			"address": address,
			"window_start": window or windows[0],
			"idempotency_key": f"pytest-{uuid.uuid4().hex}",
			**extra,
		}
		response = call(demo_customer, "customer.bookings.create_booking", **payload)
		if response.status_code == 200:
			made.append(response.json()["message"]["booking"])
		return {"response": response, "payload": payload}

	yield make
	for name in made:
		call(demo_customer, "customer.bookings.cancel_booking", booking=name)


def test_catalogue_is_public(guest):
	tree = ok(get(guest, "public.categories"))
	assert tree and all({"category", "children"} <= set(node) for node in tree)
	pages = (ok(get(guest, "public.category_items", category=n["category"], page_size=5)) for n in tree)
	items = next(page for page in pages if page["items"])  # some categories may be empty
	assert items["page_size"] == 5 and len(items["items"]) <= 5
	detail = ok(get(guest, "public.item_detail", item=ITEM))
	assert detail["price"] and {"average", "count", "latest"} <= set(detail["reviews"])
	found = ok(get(guest, "public.search", q="空调洗"))
	assert found["items"][0]["item_name"] == "空调清洗"


def test_quote_book_retry_detail_cancel(demo_customer, address, windows, book):
	quote = ok(
		call(
			demo_customer,
			"customer.bookings.get_quote",
			items=[{"service_item": ITEM, "quantity": 1}],
			address=address,
			window_start=windows[0],
		)
	)
	assert quote["charges"] and float(quote["grand_total"]) > 0

	first = book()
	created = ok(first["response"])
	assert created["status"] == "Pending Payment" and created["payment_deadline"]
	assert created["grand_total"] == quote["grand_total"] and not created["replayed"]

	retried = ok(call(demo_customer, "customer.bookings.create_booking", **first["payload"]))
	assert retried["booking"] == created["booking"] and retried["replayed"]

	detail = ok(get(demo_customer, "customer.bookings.get_booking", booking=created["booking"]))
	assert detail["items"][0]["service_item"] == ITEM
	assert detail["timeline"][0]["status"] == "Pending Payment"
	assert detail["actions"]["can_cancel"] and detail["technician"] is None

	cancelled = ok(call(demo_customer, "customer.bookings.cancel_booking", booking=created["booking"]))
	assert (cancelled["status"], cancelled["cancellation_fee"]) == ("Cancelled", "0.00")
	listed = ok(get(demo_customer, "customer.bookings.list_bookings", status_group="cancelled"))
	assert created["booking"] in [row["booking"] for row in listed["items"]]


def test_idempotency_key_in_a_header(demo_customer, address, windows):
	key = f"pytest-{uuid.uuid4().hex}"
	payload = {"items": [{"service_item": ITEM}], "address": address, "window_start": windows[1]}
	url = f"/api/method/{API}customer.bookings.create_booking"
	first = ok(demo_customer.post(url, json=payload, headers={"Idempotency-Key": key}))
	second = ok(demo_customer.post(url, json=payload, headers={"Idempotency-Key": key}))
	assert first["booking"] == second["booking"] and second["replayed"]
	ok(call(demo_customer, "customer.bookings.cancel_booking", booking=first["booking"]))
	missing = call(demo_customer, "customer.bookings.create_booking", **payload)
	assert missing.status_code == 422 and missing.json()["error"]["code"] == "INVALID_INPUT"


def test_reschedule(demo_customer, windows, book):
	created = ok(book(windows[0])["response"])
	moved = ok(
		call(
			demo_customer,
			"customer.bookings.reschedule_booking",
			booking=created["booking"],
			window_start=windows[2],
		)
	)
	assert moved["window_start"] == windows[2]
	assert moved["timeline"][-1]["event"] == "Note"  # "rescheduled from … to …"
	bad = call(
		demo_customer,
		"customer.bookings.reschedule_booking",
		booking=created["booking"],
		window_start="2099-01-01 08:17:00",
	)
	assert bad.status_code == 422 and "error" in bad.json()


def test_lists_are_paged(demo_customer):
	page = ok(get(demo_customer, "customer.bookings.list_bookings", page_size=2))
	assert len(page["items"]) <= 2 and page["total"] >= len(page["items"])
	inbox = ok(get(demo_customer, "customer.inbox.list_messages", page_size=5))
	assert {"items", "unread_count", "total"} <= set(inbox)
	for method in ("customer.reviews.list_reviews", "customer.complaints.list_complaints"):
		assert {"items", "total", "has_more"} <= set(ok(get(demo_customer, method)))


def test_mini_program_token_works_without_cookies(customer_token, demo_customer):
	client = TokenClient(customer_token)
	profile = ok(get(client, "customer.profile.get_profile"))
	assert profile["customer"] == ok(get(demo_customer, "customer.profile.get_profile"))["customer"]
	assert "unread_count" in ok(call(client, "customer.inbox.mark_all_read"))  # a POST without CSRF
