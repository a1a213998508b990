"""The customer H5 app's forms and lists beyond booking (issue 15), driven as a customer would:

- addresses: add one with the browser's location, edit it, make it the default, delete it;
- a category list and search results sorted by price and rating, and filtered by sub-category;
- a complaint and a review with photos: picked, uploaded with progress, retaken, removed, a file that
  is not an image refused with the server's message; the photos end up on the complaint and review.
"""

import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from fakes.site import SITE
from hs_client import BASE_URL, TokenClient, bench_execute, png
from mini_program import API, ok, random_ip

PNG_TYPE = "image/png"


def tap(page, selector: str) -> None:
	page.locator(selector).first.click()


def toast(page, text: str) -> None:
	page.locator(".uni-toast__content, .uni-simple-toast__text").filter(has_text=text).first.wait_for(
		state="attached"
	)


@pytest.fixture
def job() -> dict:
	"""A new customer's booking In Service with its technician; both log in with a token."""
	staged = bench_execute("home_service.tests.http_staging.stage_job_in_service")
	staged["customer"] = TokenClient(staged["customer_token"])
	staged["technician"] = TokenClient(staged["technician_token"])
	staged["me"] = ok(staged["customer"].get(f"{API}auth.me"))
	return staged


def logged_in(phone, job: dict) -> None:
	"""The browser starts with this customer's login in its storage (as after logging in)."""
	session = {
		"token": job["customer_token"],
		"expires_on": "2099-12-31 00:00:00",
		"customer": job["me"].get("customer"),
	}
	phone.page.add_init_script(
		f"localStorage.setItem('hs_session', {json.dumps(json.dumps(session))});"
		"localStorage.setItem('hs_privacy_accepted', '1');"
	)


def addresses(client: TokenClient) -> list[dict]:
	return ok(client.get(f"{API}customer.addresses.list_addresses", page_size=50))["items"]


def test_addresses_add_edit_default_and_delete(phone, job):
	page, client = phone.page, job["customer"]
	logged_in(phone, job)
	before = {a["address"] for a in addresses(client)}
	phone.open("pages-me/addresses")
	page.locator(".addr").first.wait_for()
	phone.screenshot("addresses")

	tap(page, ".add-address")
	page.locator(".save-address").wait_for()
	page.locator(".f-name input").fill("李四")
	page.locator(".f-phone input").fill("13912345678")
	tap(page, ".f-locate")
	page.get_by_text(re.compile(r"已定位 31\.18")).wait_for()  # the browser's (granted) position
	page.locator(".f-district input").fill("徐汇区")
	page.locator(".f-detail input").fill("天钥桥路100号")
	phone.screenshot("address-add")
	tap(page, ".save-address")
	page.wait_for_url(re.compile(r"pages-me/addresses"))
	added = next(a for a in addresses(client) if a["address"] not in before)
	assert (added["contact_name"], added["detail_address"], added["tag"]) == ("李四", "天钥桥路100号", "Home")
	assert added["latitude"] == pytest.approx(31.188) and added["serviceable"]

	# edit: the form comes filled in; only what changed is sent
	row = page.locator(f'.addr[data-address="{added["address"]}"]')
	row.wait_for()
	row.locator(".edit-address").click()
	page.locator(".delete-address").wait_for()
	assert page.locator(".f-name input").input_value() == "李四"
	assert page.locator(".f-detail input").input_value() == "天钥桥路100号"
	page.locator(".f-detail input").fill("天钥桥路200号")
	tap(page, ".tag-Company")
	phone.screenshot("address-edit")
	tap(page, ".save-address")
	page.wait_for_url(re.compile(r"pages-me/addresses$"))
	row.get_by_text("天钥桥路200号").wait_for()
	edited = next(a for a in addresses(client) if a["address"] == added["address"])
	assert (edited["contact_name"], edited["detail_address"], edited["tag"]) == (
		"李四",
		"天钥桥路200号",
		"Company",
	)

	# default: the tag moves to this address, on the server too
	row.locator(".set-default").click()
	row.locator(".set-default").wait_for(state="detached")
	row.get_by_text("默认", exact=True).wait_for()
	assert [a["address"] for a in addresses(client) if a["is_default"]] == [added["address"]]
	phone.screenshot("address-default")

	# delete, after confirming
	page.locator(f'.addr[data-address="{added["address"]}"] .edit-address').click()
	tap(page, ".delete-address")
	page.locator(".uni-modal__btn_primary").click()
	page.wait_for_url(re.compile(r"pages-me/addresses$"))
	page.locator(f'.addr[data-address="{added["address"]}"]').wait_for(state="detached")
	assert added["address"] not in {a["address"] for a in addresses(client)}


def public(method: str, **params) -> dict:
	answer = requests.get(
		f"{BASE_URL}{API}public.{method}", params=params, headers={"X-Frappe-Site-Name": SITE}, timeout=60
	)
	return ok(answer)


def subtree(category: dict) -> set[str]:
	return {category["category"]}.union(*(subtree(c) for c in category["children"]))


def wait_for_items(page, expected: list[str]) -> None:
	page.wait_for_function(
		"(want) => JSON.stringify([...document.querySelectorAll('.item[data-item]')]"
		".filter((e) => e.offsetParent !== null).map((e) => e.dataset.item)) === JSON.stringify(want)",
		arg=expected,
	)


def test_category_and_search_sorted_and_filtered(phone):
	page = phone.page
	root = next(c for c in public("categories") if len(c["children"]) >= 2)
	phone.open(f"pages/service/list?category={root['category']}")
	page.locator(".item[data-item]").first.wait_for()
	phone.screenshot("category")

	for key, label in (("price_asc", "价格从低到高"), ("price_desc", "价格从高到低"), ("rating", "评分最高")):
		expected = public("category_items", category=root["category"], sort=key, page_size=20)["items"]
		with page.expect_response(lambda r, key=key: "category_items" in r.url and f"sort={key}" in r.url):
			page.locator(f'.sort[data-sort="{key}"]').click()
		wait_for_items(page, [i["item"] for i in expected])
		prices = [float(i["price"]) for i in expected]
		if key == "price_asc":
			assert prices == sorted(prices)
		elif key == "price_desc":
			assert prices == sorted(prices, reverse=True)
		assert page.locator(f'.sort[data-sort="{key}"]').get_attribute("aria-selected") == "true", label
	phone.screenshot("category-by-rating")

	child = root["children"][0]
	expected = public("category_items", category=child["category"], sort="rating", page_size=20)["items"]
	page.locator(f'.chip[data-sub="{child["category"]}"]').click()
	wait_for_items(page, [i["item"] for i in expected])  # the chosen order stays
	assert expected and {i["category"] for i in expected} <= subtree(child)
	phone.screenshot("category-filtered")

	term = expected[0]["item_name"][:2]
	phone.open(f"pages/service/list?q={term}", fresh=True)  # the same page: load it again
	page.locator(".item[data-item]").first.wait_for()
	best_match = [i["item"] for i in public("search", q=term, page_size=20)["items"]]
	wait_for_items(page, best_match)
	cheapest = [i["item"] for i in public("search", q=term, sort="price_asc", page_size=20)["items"]]
	page.locator('.sort[data-sort="price_asc"]').click()
	wait_for_items(page, cheapest)
	phone.screenshot("search-by-price")


def pick_photos(page, trigger: str, *files: dict) -> None:
	"""Tap `trigger` (add or retake) and choose `files` in the file chooser uni.chooseImage opens."""
	with page.expect_file_chooser() as chooser:
		page.locator(trigger).first.click()
	chooser.value.set_files(list(files))


def photo(name: str, content: bytes) -> dict:
	return {"name": name, "mimeType": PNG_TYPE, "buffer": content}


def file_of(admin, url: str) -> dict:
	rows = admin.get(
		"/api/resource/File",
		filters=json.dumps([["file_url", "=", url]]),
		fields=json.dumps(["attached_to_doctype", "attached_to_name", "is_private"]),
	).json()["data"]
	assert len(rows) == 1, rows
	return rows[0]


def test_complaint_and_review_with_photos(phone, job, admin):
	page, client, booking = phone.page, job["customer"], job["booking"]
	phone.allow(r"status of 415")  # the browser's line for the upload the server refuses below
	logged_in(phone, job)
	phone.open(f"pages/orders/detail?booking={booking}")
	tap(page, ".open-complaint")
	page.locator(".complaint-text textarea").fill("台面被划伤，见照片")

	first, retaken, extra = png(11), png(12), png(13)
	form = page.locator(".complaint-photos")
	pick_photos(page, ".complaint-photos .add-photo", photo("IMG_1.png", first))
	form.locator('.photo[data-state="done"]').wait_for()
	pick_photos(page, ".complaint-photos .retake", photo("IMG_2.png", retaken))
	pick_photos(
		page, ".complaint-photos .add-photo", photo("IMG_3.png", extra), photo("notes.png", b"not a picture")
	)
	form.locator('.photo[data-state="error"]').wait_for()
	form.get_by_role("alert").filter(has_text="jpg, png, webp").wait_for()  # the server's 415 message
	page.wait_for_function(
		"() => document.querySelectorAll('.complaint-photos [data-state=done]').length === 2"
	)
	phone.screenshot("complaint-photos")
	form.locator('.photo[data-state="error"] .remove').click()
	form.locator(".photo[data-state]").nth(1).locator(".remove").click()  # the extra one
	page.wait_for_function("() => document.querySelectorAll('.complaint-photos [data-state]').length === 1")
	tap(page, ".submit-complaint")
	toast(page, "已提交，客服将尽快处理")
	page.locator(".open-complaint").wait_for(state="detached")

	complaint = ok(client.get(f"{API}customer.complaints.list_complaints"))["items"][0]
	assert complaint["booking"] == booking and len(complaint["photos"]) == 1
	url = complaint["photos"][0]
	assert client.get(url).content == retaken  # the retake, not the first picture
	assert file_of(admin, url) == {
		"attached_to_doctype": "HS Complaint",
		"attached_to_name": complaint["complaint"],
		"is_private": 1,
	}

	# the technician finishes, the customer confirms; then a review with a photo
	technician = job["technician"]
	after = technician.post(
		f"{API}technician.jobs.upload_photo",
		data={"booking": booking},
		files={"file": ("after.png", png(14), PNG_TYPE)},
	)
	ok(technician.call("home_service.api.technician.jobs.complete", booking=booking,
		photos=[{"file_url": ok(after)["file_url"], "stage": "After"}]))  # fmt: skip
	ok(client.call("home_service.api.customer.bookings.confirm_completion", booking=booking))
	phone.open(f"pages/orders/detail?booking={booking}", fresh=True)
	tap(page, ".write-review")
	page.locator(".review-text textarea").fill("处理得很好")
	review_photo = png(15)
	pick_photos(page, ".review-photos .add-photo", photo("IMG_4.png", review_photo))
	page.locator('.review-photos .photo[data-state="done"]').wait_for()
	phone.screenshot("review-photos")
	tap(page, ".submit-review")
	toast(page, "感谢您的评价")
	page.locator(".write-review").wait_for(state="detached")
	review = ok(client.get(f"{API}customer.reviews.list_reviews"))["items"][0]
	assert review["booking"] == booking and len(review["photos"]) == 1
	assert client.get(review["photos"][0]).content == review_photo
	assert file_of(admin, review["photos"][0])["attached_to_name"] == review["review"]


def test_an_english_phone_reads_english_labels(h5_browser):
	"""The labels' English keys are what a phone set to English shows (the API is asked in English)."""
	context = h5_browser.new_context(
		viewport={"width": 390, "height": 844},
		is_mobile=True,
		has_touch=True,
		locale="en-US",
		extra_http_headers={"X-Forwarded-For": random_ip()},
	)
	page, errors = context.new_page(), []
	page.on("console", lambda message: message.type == "error" and errors.append(message.text))
	page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
	server = urlparse(os.environ.get("HS_BASE_URL", "http://127.0.0.1:8000"))
	base = f"http://{SITE}:{server.port or 80}/m"
	shots = Path(os.environ.get("HS_ARTIFACTS", "test-artifacts/browser")) / "miniprogram"
	try:
		page.goto(f"{base}#/pages/me/index")
		for label in ("Log in / Sign up", "My addresses", "Privacy policy", "Contact customer service"):
			page.get_by_text(label, exact=True).first.wait_for()
		assert page.get_by_text("我的地址").count() == 0
		page.screenshot(path=str(shots / "english-me.png"))
		# a category with services: other suites leave categories of their own, some empty
		stocked = next(
			c["category"]
			for c in public("categories")
			if public("category_items", category=c["category"])["items"]
		)
		page.goto(f"{base}#/pages/service/list?category={stocked}")
		page.reload()
		page.get_by_text("Price: low to high", exact=True).wait_for()
		page.locator(".item[data-item]").first.wait_for()
		page.get_by_text("Finished loading").wait_for()  # wot-design-uni's own texts follow too
		page.screenshot(path=str(shots / "english-list.png"))
	finally:
		context.close()
	assert errors == [], errors
