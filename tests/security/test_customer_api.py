"""The customer methods under attack (security plan cases 1-6, 30-33): another customer's records,
widened filters, mass assignment, guests, oversized and malformed bodies, wrong types, SQL injection
and stored XSS. Every refusal is a 4xx in the API's error shape and changes nothing."""

import json
import time
import uuid
from datetime import date, timedelta

import pytest
import requests
from hs_client import BASE_URL, bench_execute
from windows import free_windows

API = "home_service.api."
ITEM = "KITCHEN-CLEAN-02"
XSS = ("<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "<script>alert(1)</script>")
SQLI = (
	"' OR 1=1 --",
	'" OR ""="',
	"1) OR (1=1",
	"x' AND SLEEP(5) AND '1'='1",
	"EXTRACTVALUE(1,CONCAT(0x7e,version()))",
)
LEAKS = ("Traceback", "pymysql", "SQL syntax", "tabHS", "OperationalError", "ProgrammingError")


def url(method: str) -> str:
	return f"/api/method/{API}{method}"


def call(client, method: str, **data):
	return client.post(url(method), json=data)


def get(client, method: str, **params):
	return client.get(url(method), **params)


def refused(response, *statuses: int) -> dict:
	"""A 4xx in our shape, no traceback or SQL in the body."""
	assert response.status_code in statuses, (response.status_code, response.text[:500])
	error = response.json()["error"]
	assert {"code", "message", "type"} <= set(error)
	assert not any(leak in response.text for leak in LEAKS)
	return error


@pytest.fixture(scope="module")
def own_customer(ops) -> str:
	response = ops.call(
		"frappe.client.get_value",
		doctype="HS Customer",
		filters={"user": "customer@demo.home"},
		fieldname="name",
	)
	return response.json()["message"]["name"]


@pytest.fixture(scope="module")
def foreign(ops, own_customer) -> dict:
	"""Another customer's booking (by status) and address, found by staff."""
	bookings = ops.get(
		"/api/resource/HS Booking",
		fields=json.dumps(["name", "status", "customer", "address"]),
		filters=json.dumps([["customer", "!=", own_customer]]),
		limit_page_length=500,
	).json()["data"]
	by_status = {}
	for row in bookings:
		by_status.setdefault(row["status"], row)
	address = ops.get(
		"/api/resource/HS Customer Address",
		filters=json.dumps([["customer", "!=", own_customer]]),
		limit_page_length=1,
	).json()["data"][0]["name"]
	return {"bookings": by_status, "address": address}


@pytest.fixture(scope="module")
def own(demo_customer) -> dict:
	addresses = demo_customer.get(url("customer.addresses.list_addresses")).json()["message"]["items"]
	completed = demo_customer.get(url("customer.bookings.list_bookings"), status_group="completed").json()[
		"message"
	]
	return {
		"address": next(a["address"] for a in addresses if a["serviceable"]),
		"completed": completed["items"][0]["booking"] if completed["items"] else None,
	}


@pytest.fixture(scope="module")
def changeable(foreign, own) -> dict:
	"""Another customer's booking in a state they could change, from the demo or (none left) staged."""
	statuses = ("Assigned", "Pending Dispatch", "Awaiting Confirmation", "Completed")
	row = next((foreign["bookings"][s] for s in statuses if s in foreign["bookings"]), None)
	return row or bench_execute(
		"home_service.tests.http_staging.stage_foreign_booking", near_address=own["address"], item=ITEM
	)


def status_of(ops, booking: str) -> tuple:
	data = ops.get(f"/api/resource/HS Booking/{booking}").json()["data"]
	return data["status"], data["window_start"], data["modified"]


# --- case 5: guests ------------------------------------------------------------------------------
CUSTOMER_GETS = (
	"customer.profile.get_profile",
	"customer.addresses.list_addresses",
	"customer.bookings.list_bookings",
	"customer.bookings.get_booking",
	"customer.bookings.get_slots",
	"customer.inbox.list_messages",
	"customer.reviews.list_reviews",
	"customer.complaints.list_complaints",
)
CUSTOMER_POSTS = (
	"customer.profile.update_profile",
	"customer.addresses.add_address",
	"customer.addresses.delete_address",
	"customer.bookings.get_quote",
	"customer.bookings.create_booking",
	"customer.bookings.cancel_booking",
	"customer.bookings.reschedule_booking",
	"customer.bookings.approve_extra_charge",
	"customer.bookings.confirm_completion",
	"customer.reviews.submit_review",
	"customer.complaints.open_complaint",
	"customer.inbox.mark_all_read",
)


@pytest.mark.parametrize("method", CUSTOMER_GETS)
def test_guests_get_401_from_customer_reads(guest, method):
	assert refused(get(guest, method, booking="x"), 401)["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("method", CUSTOMER_POSTS)
def test_guests_get_401_from_customer_writes(guest, method):
	assert refused(call(guest, method, booking="x"), 401)["code"] == "UNAUTHENTICATED"


def test_staff_and_technicians_are_not_customers(demo_technician):
	refused(get(demo_technician, "customer.profile.get_profile"), 403)


# --- cases 1-3: another customer's records -----------------------------------------------------
def test_another_customers_booking_is_not_found_like_a_missing_one(demo_customer, foreign, ops):
	name = next(iter(foreign["bookings"].values()))["name"]
	theirs = refused(get(demo_customer, "customer.bookings.get_booking", booking=name), 404)
	missing = refused(get(demo_customer, "customer.bookings.get_booking", booking="HS-BK-0000-99999"), 404)
	assert theirs == missing


@pytest.mark.parametrize(
	"method,extra",
	[
		("customer.bookings.cancel_booking", {}),
		(
			"customer.bookings.reschedule_booking",
			{"window_start": str(date.today() + timedelta(days=2)) + " 10:00:00"},
		),
		("customer.bookings.confirm_completion", {}),
		("customer.bookings.approve_extra_charge", {"charge": "x"}),
		("customer.reviews.submit_review", {"rating": 1, "content": "差评"}),
		("customer.complaints.open_complaint", {"category": "Other", "description": "投诉"}),
	],
)
def test_another_customers_booking_cannot_be_changed(demo_customer, changeable, ops, method, extra):
	row = changeable
	before = status_of(ops, row["name"])
	refused(call(demo_customer, method, booking=row["name"], **extra), 404)
	assert status_of(ops, row["name"]) == before


@pytest.mark.parametrize(
	"method,http",
	[
		("customer.addresses.edit_address", "POST"),
		("customer.addresses.delete_address", "POST"),
		("customer.addresses.set_default_address", "POST"),
		("customer.bookings.get_slots", "GET"),
	],
)
def test_another_customers_address_is_not_found(demo_customer, foreign, ops, method, http):
	address = foreign["address"]
	kwargs = {"address": address, "detail_address": "hijacked", "item": ITEM}
	response = (
		call(demo_customer, method, **kwargs) if http == "POST" else get(demo_customer, method, **kwargs)
	)
	refused(response, 404)
	assert (
		ops.get(f"/api/resource/HS Customer Address/{address}").json()["data"]["detail_address"] != "hijacked"
	)


def test_booking_at_another_customers_address_is_refused(demo_customer, foreign):
	response = call(
		demo_customer,
		"customer.bookings.create_booking",
		items=[{"service_item": ITEM}],
		address=foreign["address"],
		window_start=str(date.today() + timedelta(days=2)) + " 10:00:00",
		idempotency_key=f"pytest-{uuid.uuid4().hex}",
	)
	refused(response, 404)


# --- case 2: filters cannot widen the scope -------------------------------------------------------
def test_list_arguments_cannot_widen_the_scope(demo_customer, own_customer, foreign):
	for params in (
		{"customer": "%"},
		{"filters": json.dumps([["customer", "!=", own_customer]])},
		{"or_filters": json.dumps([["customer", "like", "%"]])},
		{"fields": json.dumps(["*"])},
		{"user": "Administrator"},
	):
		rows = demo_customer.get(url("customer.bookings.list_bookings"), page_size=50, **params).json()[
			"message"
		]
		names = {row["booking"] for row in rows["items"]}
		assert not names & {row["name"] for row in foreign["bookings"].values()}
		assert all(set(row) >= {"booking", "status"} and "customer" not in row for row in rows["items"])
	for group in ("'; DROP TABLE x; --", "all", "customer"):
		refused(get(demo_customer, "customer.bookings.list_bookings", status_group=group), 422)
	refused(get(demo_customer, "customer.bookings.list_bookings", page_size=10_000), 422)


# --- case 6: mass assignment --------------------------------------------------------------------
def test_server_managed_booking_fields_are_ignored(demo_customer, own, own_customer, ops):
	free = free_windows(demo_customer, ITEM, own["address"])
	response = call(
		demo_customer,
		"customer.bookings.create_booking",
		items=[{"service_item": ITEM, "quantity": 1, "rate": 0.01, "amount": 0.01}],
		address=own["address"],
		window_start=free[-1],
		idempotency_key=f"pytest-{uuid.uuid4().hex}",
		status="Completed",
		grand_total=0.01,
		paid_amount=999,
		payment_status="Paid",
		technician="HS-TC-00001",
		customer="HS-CU-00002",
		owner="Administrator",
		docstatus=1,
		discount_amount=999,
	)
	assert response.status_code == 200, response.text
	name = response.json()["message"]["booking"]
	try:
		data = ops.get(f"/api/resource/HS Booking/{name}").json()["data"]
		assert (data["status"], data["payment_status"], data.get("technician")) == (
			"Pending Payment",
			"Unpaid",
			None,
		)
		assert data["customer"] == own_customer and not data.get("docstatus")
		assert (
			float(data["grand_total"]) > 1 and not data.get("paid_amount") and not data.get("discount_amount")
		)
	finally:
		call(demo_customer, "customer.bookings.cancel_booking", booking=name)


def test_profile_and_address_allowlists(demo_customer, own_customer, ops):
	before = ops.get(f"/api/resource/HS Customer/{own_customer}").json()["data"]
	profile = call(
		demo_customer,
		"customer.profile.update_profile",
		status="Blacklisted",
		mobile_no="10000000000",
		user="Administrator",
		wechat_openid="x",
	)
	assert profile.status_code == 200
	after = ops.get(f"/api/resource/HS Customer/{own_customer}").json()["data"]
	for field in ("status", "mobile_no", "user", "wechat_openid", "customer_name"):
		assert after.get(field) == before.get(field), field

	added = call(
		demo_customer,
		"customer.addresses.add_address",
		contact_name="测试",
		contact_phone="13800138000",
		city="上海市",
		detail_address="人民大道 1 号",
		latitude=31.2304,
		longitude=121.4737,
		customer="HS-CU-00002",
		service_area="Nowhere",
	)
	assert added.status_code == 200, added.text
	address = added.json()["message"]["address"]
	data = ops.get(f"/api/resource/HS Customer Address/{address}").json()["data"]
	assert data["customer"] == own_customer and data["service_area"] != "Nowhere"
	assert call(demo_customer, "customer.addresses.delete_address", address=address).status_code == 200


# --- cases 30-31: bodies and types ----------------------------------------------------------------
def booking_payload(own, **extra) -> dict:
	key = f"pytest-{uuid.uuid4().hex}"
	return {"items": [{"service_item": ITEM}], "address": own["address"], "idempotency_key": key, **extra}


def stored_with_key(ops, key: str) -> int:
	filters = json.dumps({"idempotency_key": key})
	return ops.get("/api/method/frappe.client.get_count", doctype="HS Booking", filters=filters).json()[
		"message"
	]


def test_oversized_json_body_is_413_and_nothing_is_stored(demo_customer, own, ops):
	"""Over the 1 MB limit (site config hs_max_api_body_bytes) with Content-Length and chunked."""
	target = url("customer.bookings.create_booking")
	payload = booking_payload(own, note="x" * (2 * 1024 * 1024))
	body = json.dumps(payload).encode()
	headers = {"Content-Type": "application/json"}
	sized = demo_customer.post(target, data=body, headers=headers)
	chunked = demo_customer.post(target, data=iter([body[:4096], body[4096:]]), headers=headers)
	for response in (sized, chunked):
		assert refused(response, 413)["code"] == "REQUEST_TOO_LARGE"
	assert "Content-Length" not in chunked.request.headers
	assert stored_with_key(ops, payload["idempotency_key"]) == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
def test_a_body_frappe_would_ignore_is_415_and_nothing_is_stored(demo_customer, own, ops, content_type):
	payload = booking_payload(own)
	headers = {"Content-Type": content_type} if content_type else {}
	body = json.dumps(payload).encode()
	session = demo_customer.http
	request = session.prepare_request(
		requests.Request(
			"POST", BASE_URL + url("customer.bookings.create_booking"), data=body, headers=headers
		)
	)
	if content_type is None:
		request.headers.pop("Content-Type", None)
	response = session.send(request, timeout=60)
	assert refused(response, 415)["code"] == "UNSUPPORTED_MEDIA_TYPE"
	assert stored_with_key(ops, payload["idempotency_key"]) == 0


def test_malformed_json_and_wrong_shapes(demo_customer):
	target = url("customer.bookings.cancel_booking")
	headers = {"Content-Type": "application/json"}
	for body in ('{"booking": ', "[1, 2, 3]", '"just a string"', "{" * 5000):
		response = demo_customer.post(target, data=body, headers=headers)
		assert 400 <= response.status_code < 500, (body[:20], response.status_code, response.text[:300])
	refused(demo_customer.post(target, data=b"\xff\xfe\x00garbage", headers=headers), 400, 404, 422)


@pytest.mark.parametrize(
	"method,data",
	[
		("customer.bookings.get_quote", {"items": "not a list", "address": "x"}),
		(
			"customer.bookings.get_quote",
			{"items": [{"service_item": ITEM, "quantity": "1e9"}], "address": "x"},
		),
		("customer.bookings.get_quote", {"items": [{"service_item": ITEM, "quantity": -1}], "address": "x"}),
		("customer.bookings.get_quote", {"items": [{"service_item": {"$ne": 1}}], "address": "x"}),
		("customer.bookings.create_booking", {"items": [{"service_item": ITEM}], "address": ["a", "b"]}),
		("customer.bookings.reschedule_booking", {"booking": "x", "window_start": "2099-13-45 10:00:00"}),
		("customer.reviews.submit_review", {"booking": "x", "rating": "five"}),
		("customer.reviews.submit_review", {"booking": "x", "rating": 4.5}),
		("customer.addresses.add_address", {"contact_name": "x", "contact_phone": "1", "city": "x"}),
		("customer.bookings.cancel_booking", {}),
		("customer.bookings.cancel_booking", {"booking": "x" * 10_000}),
	],
)
def test_wrong_types_are_4xx(demo_customer, own, method, data):
	if data.get("address") == "x":
		data = {
			**data,
			"address": own["address"],
			"window_start": str(date.today() + timedelta(days=2)) + " 10:00:00",
		}
	response = call(demo_customer, method, **data)
	refused(response, 404, 409, 422)


# --- case 32: SQL injection ---------------------------------------------------------------------
@pytest.mark.parametrize("text", SQLI)
def test_sql_injection_strings_find_nothing_and_leak_nothing(guest, demo_customer, text):
	began = time.monotonic()
	response = get(guest, "public.search", q=text)
	assert response.status_code == 200 and response.json()["message"]["total"] == 0
	assert time.monotonic() - began < 4  # SLEEP(5) never ran
	refused(get(guest, "public.category_items", category=text), 404)
	refused(get(guest, "public.item_detail", item=text), 404)
	refused(get(demo_customer, "customer.bookings.get_booking", booking=text), 404)
	refused(call(demo_customer, "customer.inbox.mark_read", message=text), 404)


# --- case 33: stored XSS ------------------------------------------------------------------------
@pytest.mark.parametrize("payload", XSS)
def test_markup_is_refused_in_addresses_reviews_and_profile(demo_customer, own, own_customer, ops, payload):
	before = ops.call(
		"frappe.client.get_count", doctype="HS Customer Address", filters={"customer": own_customer}
	)
	added = call(
		demo_customer,
		"customer.addresses.add_address",
		contact_name="测试",
		contact_phone="13800138000",
		city="上海市",
		detail_address=payload,
	)
	refused(added, 422)
	after = ops.call(
		"frappe.client.get_count", doctype="HS Customer Address", filters={"customer": own_customer}
	)
	assert before.json()["message"] == after.json()["message"]
	refused(call(demo_customer, "customer.profile.update_profile", customer_name=payload), 422)
	if own["completed"]:
		review = call(
			demo_customer,
			"customer.reviews.submit_review",
			booking=own["completed"],
			rating=5,
			content=payload,
		)
		refused(review, 422)
