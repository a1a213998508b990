"""Malformed arguments, as a mini-program or a fuzzer sends them (issue 14, point 3): invalid Unicode
in an id, a missing or wrong-typed argument, a value out of range. Each is a 422 that names the
argument, in English and in Chinese, comes before any check of the booking's state, and changes no
row."""

import uuid

import pytest
from fakes.site import SITE
from hs_client import TokenClient
from site_counts import counts

API = "home_service.api."
ITEM = "KITCHEN-CLEAN-02"
SURROGATE = "\ud800"  # JSON allows "\ud800" alone; UTF-8 (and so MariaDB) does not


@pytest.fixture(scope="module")
def customer(customer_token) -> TokenClient:
	return TokenClient(customer_token)


@pytest.fixture(scope="module")
def mine(customer) -> dict:
	"""One of my serviceable addresses and one of my bookings that is not completed."""
	addresses = ok(customer.get(f"/api/method/{API}customer.addresses.list_addresses"))["items"]
	bookings = ok(customer.get(f"/api/method/{API}customer.bookings.list_bookings", page_size=50))["items"]
	return {
		"address": next(a["address"] for a in addresses if a["serviceable"]),
		"open_booking": next(b["booking"] for b in bookings if b["status"] != "Completed"),
	}


def ok(response) -> dict:
	assert response.status_code == 200, response.text[:500]
	return response.json()["message"]


def refusal(response, status: int = 422) -> dict:
	assert response.status_code == status, (response.status_code, response.text[:500])
	return response.json()["error"]


INVALID_IDS = [
	("customer.bookings.cancel_booking", {"booking": SURROGATE}, "booking"),
	("customer.addresses.edit_address", {"address": "HS-ADDR-" + SURROGATE, "city": "上海市"}, "address"),
	("customer.addresses.delete_address", {"address": SURROGATE}, "address"),
	("customer.marketing.claim_coupon", {"template": SURROGATE}, "template"),
	("customer.payments.pay", {"booking": SURROGATE}, "booking"),
	("customer.reviews.submit_review", {"booking": "x", "rating": 5, "photos": [SURROGATE]}, "photos[0]"),
]


@pytest.mark.parametrize("method, data, argument", INVALID_IDS, ids=[c[0] for c in INVALID_IDS])
def test_invalid_unicode_in_an_argument_is_a_422_naming_it(customer, method, data, argument):
	before = counts(SITE)
	error = refusal(customer.call(API + method, **data))
	assert error["code"] == "INVALID_ARGUMENT"
	assert f"Argument {argument} is not valid Unicode text." in error["message"]
	assert counts(SITE) == before


def test_invalid_unicode_inside_booking_items_is_named(customer, mine):
	before = counts(SITE)
	error = refusal(
		customer.call(
			API + "customer.bookings.create_booking",
			items=[{"service_item": ITEM}, {"service_item": SURROGATE, "quantity": 1}],
			address=mine["address"],
			come_now=True,
			idempotency_key=f"pytest-{uuid.uuid4().hex}",
		)
	)
	assert "items[1].service_item is not valid Unicode" in error["message"]
	assert counts(SITE) == before


def test_a_missing_argument_is_named_in_english_and_chinese(customer):
	add = API + "customer.addresses.add_address"
	english = refusal(customer.call(add, _lang="en"))
	assert english["code"] == "INVALID_ARGUMENT"
	assert english["message"] == "Missing arguments: contact_name, contact_phone, city, detail_address."
	chinese = refusal(customer.call(add, _lang="zh"))
	assert chinese["message"] == "缺少参数：contact_name, contact_phone, city, detail_address。"
	one = refusal(
		customer.call(add, contact_name="王", contact_phone="13800000000", city="上海市", _lang="en")
	)
	assert one["message"] == "Missing argument: detail_address."


@pytest.mark.parametrize(
	"value, words",
	[
		(True, "Argument rating must be a whole number, not true or false."),
		("five", "Argument rating must be a whole number, not text."),
		(None, "Argument rating must be a whole number, not null."),
		([5], "Argument rating must be a whole number, not a list."),
	],
)
def test_a_wrong_type_is_named_before_the_booking_is_looked_at(customer, mine, value, words):
	"""The booking is not completed (a 409 about its state), but the rating is wrong first."""
	error = refusal(
		customer.call(
			API + "customer.reviews.submit_review", booking=mine["open_booking"], rating=value, _lang="en"
		)
	)
	assert (error["code"], error["message"]) == ("INVALID_ARGUMENT", words)
	chinese = refusal(
		customer.call(
			API + "customer.reviews.submit_review", booking=mine["open_booking"], rating=True, _lang="zh"
		)
	)
	assert chinese["message"] == "参数 rating 应为整数，而不是布尔值（true 或 false）。"


def test_out_of_range_values_are_422_before_state_checks(customer, mine):
	review = API + "customer.reviews.submit_review"
	error = refusal(customer.call(review, booking=mine["open_booking"], rating=6, _lang="en"))
	assert (error["code"], error["message"]) == ("INVALID_INPUT", "Argument rating must be between 1 and 5.")
	quote = {"items": [{"service_item": ITEM}], "address": mine["address"], "come_now": True, "_lang": "en"}
	error = refusal(customer.call(API + "customer.bookings.get_quote", **quote, points=-1))
	assert error["message"] == "Argument points must be 0 or more."
	error = refusal(customer.call(API + "customer.bookings.get_quote", **quote, points=True))
	assert error["message"] == "Argument points must be a whole number, not true or false."
