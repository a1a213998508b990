"""Paying on /m in a phone browser the way a newcomer does on a development site: no payment adapter,
no openid. A brand-new number logs in by SMS, adds an address, books, and `pay` (platform h5) sends the
browser to the WeChat Pay H5 cashier, here the site's development sandbox (billing/dev_cashier.py).
Leaving it unpaid comes back to an unpaid order; paying (a double tap) posts one signed notification
to the site and comes back to the order, paid once. Without the sandbox the cashier is not there (404).
"""

import json
import os
import random
import re
from urllib.parse import urlsplit

import pytest
import requests
from fakes import AliyunSmsFake
from fakes.site import SITE, hs_settings, site_config
from hs_client import BASE_URL, TokenClient, server_side_token
from mini_program import API, ITEM, book_by_api, dev_cashier, ok, random_ip, wait_until
from test_customer_h5 import customer_of_phone, payments_of, tap, toast

CASHIER = re.compile(r"/api/method/home_service\.api\.dev_cashier\.wechatpay\?prepay_id=")


@pytest.fixture(scope="module")
def sms(admin):
	"""Only the SMS provider is a test's: payment is the site's own development sandbox."""
	with AliyunSmsFake() as sms:
		login = {
			"sms_provider": "Aliyun",
			"sms_sign_name": "上门服务",
			"sms_login_template": "SMS_H5PAY",
			"sms_access_key_id": sms.key_id,
			"sms_access_key_secret": sms.key_secret,
		}
		config = {"hs_aliyun_sms_endpoint": sms.url, "throttle_user_limit": 5000}
		with site_config(**config), hs_settings(admin, **login):
			yield sms


def cashier_get(**query) -> requests.Response:
	return requests.get(
		f"{BASE_URL}/api/method/home_service.api.dev_cashier.wechatpay",
		params=query,
		headers={"X-Frappe-Site-Name": SITE, "X-Forwarded-For": random_ip()},
		timeout=60,
	)


def test_without_the_sandbox_there_is_no_cashier(admin):
	with site_config(hs_dev_cashier=None):
		answer = cashier_get(prepay_id="wx123", redirect_url="/m")
	assert answer.status_code == 404, answer.text
	error = answer.json()["error"]
	assert "development cashier is off" in error["message"], error


def test_new_number_books_and_pays_at_the_h5_cashier(phone, sms, admin):
	page = phone.page
	number = f"137{random.randrange(10**8):08d}"
	with dev_cashier(admin):
		phone.open()
		page.locator(".categories .wd-grid-item").first.wait_for()
		phone.open(f"pages/service/detail?item={ITEM}")
		tap(page, ".book-button")

		page.locator(".login-button").wait_for()
		page.locator(".phone-input input").fill(number)
		tap(page, ".consent")
		tap(page, ".send-code")
		toast(page, "验证码已发送")
		page.locator(".code-input input").fill(wait_until(lambda: sms.last_code(number)))
		tap(page, ".login-button")
		page.wait_for_url(re.compile(r"pages/service/detail"))
		customer = admin.get(f"/api/resource/HS Customer/{customer_of_phone(admin, number)}").json()["data"]
		assert not customer.get("wechat_openid")  # nothing to pay with in a mini-program
		# the app asked in Chinese (Accept-Language: zh-CN): the new customer's User speaks it
		assert admin.get(f"/api/resource/User/{customer['user']}").json()["data"]["language"] == "zh"

		tap(page, ".book-button")
		page.wait_for_url(re.compile(r"pages/booking/create"))
		tap(page, ".address")
		page.locator(".save-address").wait_for()
		page.locator(".f-name input").fill("收银台测试")
		page.locator(".f-phone input").fill(number)
		tap(page, ".f-locate")
		page.get_by_text("已定位").wait_for()
		page.locator(".f-district input").fill("徐汇区")
		page.locator(".f-detail input").fill("漕溪北路1号")
		tap(page, ".save-address")
		page.wait_for_url(re.compile(r"pages/booking/create"))
		page.locator(".window.ok, .window.low").first.click()
		page.locator(".grand-total").wait_for()
		total = page.locator(".grand-total").inner_text()
		tap(page, ".submit-booking")
		page.wait_for_url(re.compile(r"pages/booking/pay"))
		booking = re.search(r"booking=([^&]+)", page.url).group(1)

		# to the cashier, and back without paying: the order is still to pay
		tap(page, ".pay-button")
		page.wait_for_url(CASHIER)
		assert total in page.locator(".amount").inner_text()
		assert booking in page.locator("main").inner_text()
		phone.screenshot("cashier")
		page.locator("a.cancel").click()
		page.wait_for_url(re.compile(r"/m#/pages/orders/detail\?booking="))
		page.locator(".state").first.wait_for()
		assert not page.locator(".paid-amount").count()
		first = payments_of(admin, booking)
		assert [p["status"] for p in first] == ["Created"]

		# pay from the pay page again: the same open order; a double tap on the cashier pays once
		phone.open(f"pages/booking/pay?booking={booking}")
		tap(page, ".pay-button")
		page.wait_for_url(CASHIER)
		page.locator("button.pay").dblclick()
		page.wait_for_url(re.compile(r"/m#/pages/orders/detail\?booking="), timeout=30_000)
		page.locator(".paid-amount").wait_for()
		assert page.locator(".paid-amount").inner_text() == total
		page.get_by_text("已支付").first.wait_for()
		phone.screenshot("order-paid")

	payments = payments_of(admin, booking)
	assert [(p["name"], p["status"]) for p in payments] == [(first[0]["name"], "Paid")]
	detail = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"]
	assert (detail["payment_status"], detail["status"]) == ("Paid", "Pending Dispatch")
	out_trade_no = admin.get(f"/api/resource/HS Payment/{payments[0]['name']}").json()["data"]["out_trade_no"]
	outcomes = admin.get(
		"/api/resource/HS Payment Notification",
		filters=json.dumps([["reference", "=", out_trade_no]]),
		fields=json.dumps(["outcome"]),
	).json()["data"]
	assert sorted(o["outcome"] for o in outcomes).count("Applied") == 1, outcomes


def test_a_browser_also_logged_in_to_desk_pays_with_its_csrf_token(admin):
	"""A developer tries /m in the browser they use for Desk: the cashier's form carries that
	session's CSRF token, which Frappe wants on a POST with its cookie (without it: 400)."""
	# by the site's name, as a browser reaches it (the cashier's notification goes to that name)
	by_name = {"Host": f"{SITE}:{urlsplit(BASE_URL).port or 80}"}
	customer = TokenClient(server_side_token("customer@demo.home", client="H5"))
	customer.http.headers.pop("X-Frappe-Site-Name")
	customer.http.headers.update(by_name)
	with dev_cashier(admin):
		booking = book_by_api(customer)
		order = ok(customer.call("home_service.api.customer.payments.pay", booking=booking, platform="h5"))
		desk = requests.Session()  # a browser's Desk session (cookie), by the site's name
		desk.headers.update({**by_name, "X-Forwarded-For": random_ip()})
		login = {"usr": "Administrator", "pwd": os.environ.get("HS_ADMIN_PASSWORD", "admin")}
		assert desk.post(f"{BASE_URL}/api/method/login", data=login, timeout=60).status_code == 200
		desk.get(f"{BASE_URL}/app", timeout=60)  # Desk's page gives the session its CSRF token
		page = desk.get(BASE_URL + order["h5_url"], timeout=60)
		assert page.status_code == 200, page.text
		form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
		assert form.get("csrf_token"), "the Desk session's token is in the form"
		url = BASE_URL + order["h5_url"].split("&redirect_url=")[0]
		refused = desk.post(
			url, data={k: v for k, v in form.items() if k != "csrf_token"}, allow_redirects=False
		)
		assert refused.status_code == 400, refused.text
		paid = desk.post(url, data=form, allow_redirects=False, timeout=60)
		assert paid.status_code == 303, paid.text
		assert paid.headers["Location"].endswith(f"/m#/pages/orders/detail?booking={booking}")
	detail = ok(customer.get(f"{API}customer.bookings.get_booking", booking=booking))
	assert detail["payment_status"] == "Paid"
