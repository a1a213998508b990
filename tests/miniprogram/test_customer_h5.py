"""The customer mini-program (H5 build at /m) in a phone-sized browser against the real site:

- SMS login (through the SMS fake) → address with the browser's location → arrival window → quote →
  booking → pay at the WeChat Pay H5 cashier (the site's development sandbox, billing/dev_cashier.py),
  which posts its signed notification to the site → the order page shows the booking paid;
- a paid order followed to its review: the technician's steps through the technician API, each seen
  on the order page, an extra charge approved, completion confirmed, a review, the points page;
- cancelling a paid order shows the policy's fee first and the refund after, then a complaint;
- a reschedule with the policy shown; a quote with a coupon and points, and a window full at booking;
- an expired token sends the customer to log in, and back to the page they were on;
- a request that gets no answer shows a retry, which loads the page;
- a recycling pickup booked with the day's prices and an estimate, waiting for the weighing;
- typing in the search suggests services.
"""

import io
import json
import random
import re
import secrets
import time

import pytest
import requests
from fakes import AliyunSmsFake, WeChatFake
from fakes.site import SITE, hs_settings, site_config
from hs_client import BASE_URL, TokenClient, bench_execute, png
from mini_program import API, ITEM, book_by_api, dev_cashier, ok, random_ip, wait_for, wait_until


@pytest.fixture(scope="module")
def fakes(admin):
	"""The SMS and WeChat login fakes wired into the running site, and its WeChat Pay sandbox on (all
	put back afterwards): browsers pay at the sandbox's H5 cashier, as on a development site."""
	with AliyunSmsFake() as sms, WeChatFake() as wechat:
		config = {
			"hs_aliyun_sms_endpoint": sms.url,
			"hs_wechat_api_base": wechat.url,
			"hs_gateway_timeout": 2,
			"throttle_user_limit": 5000,
		}
		login = {
			"wechat_appid": wechat.appid,
			"wechat_secret": wechat.secret,
			"sms_provider": "Aliyun",
			"sms_sign_name": "上门服务",
			"sms_login_template": "SMS_" + secrets.token_hex(4),
			"sms_access_key_id": sms.key_id,
			"sms_access_key_secret": sms.key_secret,
		}
		with site_config(**config), hs_settings(admin, **login):
			with dev_cashier(admin, appid=wechat.appid) as merchant:
				yield sms, merchant, wechat


def customer_of_phone(admin, phone: str) -> str:
	rows = admin.get(
		"/api/resource/HS Customer",
		filters=json.dumps([["mobile_no", "like", f"%{phone}"]]),
		fields=json.dumps(["name"]),
	).json()["data"]
	assert rows, f"no customer with {phone}"
	return rows[0]["name"]


def wechat_customer(
	wechat, latitude: float = 31.1880, longitude: float = 121.4370
) -> tuple[TokenClient, dict]:
	"""A customer logged in through the WeChat fake (an openid to pay with) with one address in the
	demo city; and the login answer (token, expires_on) to put in the browser's storage."""
	answer = ok(
		requests.post(
			f"{BASE_URL}{API}auth.wechat_login",
			json={"code": wechat.login_code()},
			headers={"X-Frappe-Site-Name": SITE, "X-Forwarded-For": random_ip()},
			timeout=60,
		)
	)
	client = TokenClient(answer["token"])
	ok(
		client.call(
			"home_service.api.customer.addresses.add_address",
			contact_name="浏览器测试",
			contact_phone="13800000000",
			city="上海市",
			district="徐汇区",
			detail_address="漕溪北路1号",
			latitude=latitude,
			longitude=longitude,
		)
	)
	return client, answer


def logged_in(phone, answer: dict) -> None:
	"""The browser starts with this login in its storage (as after a login on this phone)."""
	session = {"token": answer["token"], "expires_on": answer["expires_on"], "customer": answer["customer"]}
	phone.page.add_init_script(
		f"localStorage.setItem('hs_session', {json.dumps(json.dumps(session))});"
		"localStorage.setItem('hs_privacy_accepted', '1');"
	)


def book_in_browser(phone) -> str:
	"""Service detail → booking with the saved address → first free window → submit → pay page;
	the booking's name."""
	page = phone.page
	phone.open(f"pages/service/detail?item={ITEM}")
	tap(page, ".book-button")
	page.wait_for_url(re.compile(r"pages/booking/create"))
	page.locator(".window.ok, .window.low").first.click()
	page.locator(".grand-total").wait_for()
	tap(page, ".submit-booking")
	page.wait_for_url(re.compile(r"pages/booking/pay"))
	page.locator(".pay-button").wait_for()
	return re.search(r"booking=([^&]+)", page.url).group(1)


def pay_in_browser(phone, double_tap: bool = False) -> None:
	"""Pay on the pay page: the browser goes to the WeChat Pay H5 cashier (the sandbox's, on the site),
	the customer pays there and comes back to the order page, which shows it paid."""
	page = phone.page
	page.locator(".pay-button").dblclick() if double_tap else tap(page, ".pay-button")
	page.wait_for_url(re.compile(r"/api/method/home_service\.api\.dev_cashier\.wechatpay\?"))
	page.locator("button.pay").wait_for()
	phone.screenshot("cashier")
	page.locator("button.pay").dblclick() if double_tap else page.locator("button.pay").click()
	page.wait_for_url(re.compile(r"/m#/pages/orders/detail"), timeout=30_000)
	page.locator(".paid-amount").wait_for()


def payments_of(admin, booking: str) -> list[dict]:
	return admin.get(
		"/api/resource/HS Payment",
		filters=json.dumps([["booking", "=", booking]]),
		fields=json.dumps(["name", "status", "amount"]),
	).json()["data"]


def status_shown(phone, booking: str, status_label: str) -> None:
	"""The order page, opened again, shows this status."""
	phone.open(f"pages/orders/detail?booking={booking}", fresh=True)
	phone.wait_for_text(".state", status_label)


def toast(page, text: str) -> None:
	"""A toast with this text was shown (it may be gone already on a slow machine; uni-h5 keeps it)."""
	page.locator(".uni-toast__content, .uni-simple-toast__text").filter(has_text=text).first.wait_for(
		state="attached"
	)


def tap(page, selector: str) -> None:
	page.locator(selector).first.click()


def test_sms_login_book_and_pay(phone, fakes, admin):
	sms, _merchant, _wechat = fakes
	page = phone.page
	number = f"139{random.randrange(10**8):08d}"

	started = time.monotonic()
	phone.open()
	page.get_by_text("服务分类").wait_for()
	page.locator(".categories .wd-grid-item").first.wait_for()
	phone.screenshot("home")
	home_seconds = time.monotonic() - started

	phone.open(f"pages/service/detail?item={ITEM}")
	page.locator(".book-button").wait_for()
	phone.screenshot("service-detail")
	tap(page, ".book-button")

	# not logged in: the login page, and back to the service afterwards
	page.locator(".login-button").wait_for()
	page.locator(".phone-input input").fill(number)
	tap(page, ".send-code")  # refused before consent
	toast(page, "请先阅读并同意隐私政策")
	assert not sms.messages_to(number)
	tap(page, ".consent")
	tap(page, ".send-code")
	toast(page, "验证码已发送")
	code = wait_until(lambda: sms.last_code(number))
	wrong = "000000" if code != "000000" else "111111"
	page.locator(".code-input input").fill(wrong)
	phone.allow(r"status of 401 .*auth\.sms_login")
	tap(page, ".login-button")
	page.wait_for_function(  # the server's words for a wrong code, not "your login has expired"
		"() => [...document.querySelectorAll('.uni-simple-toast__text')].some((e) =>"
		" e.textContent && !/隐私政策|登录已过期/.test(e.textContent))"
	)
	assert "pages/login/login" in page.url
	page.locator(".code-input input").fill(code)
	phone.screenshot("login")
	tap(page, ".login-button")
	page.wait_for_url(re.compile(r"pages/service/detail"))
	page.locator(".book-button").wait_for()

	customer = customer_of_phone(admin, number)
	tap(page, ".book-button")
	page.wait_for_url(re.compile(r"pages/booking/create"))
	page.get_by_text("添加服务地址").wait_for()
	phone.screenshot("booking-no-address")
	tap(page, ".address")
	page.locator(".save-address").wait_for()
	page.locator(".f-name input").fill("测试用户")
	page.locator(".f-phone input").fill(number)
	tap(page, ".f-locate")
	page.get_by_text("已定位").wait_for()
	page.locator(".f-district input").fill("徐汇区")
	page.locator(".f-detail input").fill("漕溪北路1号")
	phone.screenshot("address-edit")
	tap(page, ".save-address")

	page.wait_for_url(re.compile(r"pages/booking/create"))
	booking_started = time.monotonic()
	window = page.locator(".window.ok, .window.low").first
	window.wait_for()
	slots_seconds = time.monotonic() - booking_started
	window.click()
	page.locator(".grand-total").wait_for()
	total = page.locator(".grand-total").inner_text()
	assert total.startswith("¥"), total
	phone.screenshot("booking-quote")
	page.locator(".submit-booking").dblclick()  # a double tap books once

	page.wait_for_url(re.compile(r"pages/booking/pay"))
	page.locator(".pay-button").wait_for()
	phone.screenshot("pay")
	pay_in_browser(phone, double_tap=True)  # and pays once, at the WeChat Pay H5 cashier
	assert page.locator(".paid-amount").inner_text() == total
	page.get_by_text("已支付").first.wait_for()
	phone.screenshot("order-paid")

	booking = re.search(r"booking=([^&]+)", page.url).group(1)
	detail = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"]
	assert detail["payment_status"] == "Paid"
	assert [p["status"] for p in payments_of(admin, booking)] == ["Paid"]
	assert detail["source_channel"] == "H5"
	bookings = admin.get(
		"/api/resource/HS Booking", filters=json.dumps([["customer", "=", customer]]), fields='["name"]'
	).json()["data"]
	assert [row["name"] for row in bookings] == [booking]

	phone.open("pages/orders/list")
	page.locator(f'.order[data-booking="{booking}"]').wait_for()
	phone.screenshot("orders")
	print(f"\nH5 figures: home with categories {home_seconds:.2f}s, booking slots {slots_seconds:.2f}s")
	print(f"H5 API calls: {len(phone.api_calls)}")


@pytest.fixture(scope="module")
def coupon_offer(ops):
	"""A claimable ¥5 coupon offer made by staff; switched off afterwards."""
	name = f"H5测试立减5元 {secrets.token_hex(3)}"
	response = ops.post(
		"/api/resource/HS Coupon Template",
		json={
			"template_name": name,
			"enabled": 1,
			"claimable": 1,
			"discount_type": "Fixed Amount",
			"discount_value": 5,
			"validity_type": "Days After Claim",
			"valid_days": 7,
			"quota": 1000,
			"per_customer_limit": 1,
		},
	)
	assert response.status_code == 200, response.text
	template = response.json()["data"]["name"]
	yield name
	ops.put(f"/api/resource/HS Coupon Template/{template}", json={"enabled": 0, "claimable": 0})


def test_quote_with_coupon_and_points_and_a_full_window(phone, fakes, ops, coupon_offer):
	_sms, _merchant, wechat = fakes
	page = phone.page
	_customer, answer = wechat_customer(wechat)
	response = ops.post(
		"/api/resource/HS Points Entry",
		json={
			"customer": answer["customer"],
			"entry_type": "Adjustment",
			"points": 500,
			"remarks": "H5 test",
		},
	)
	assert response.status_code == 200, response.text
	logged_in(phone, answer)

	phone.open("pages-me/coupons?tab=claim")
	offer = page.locator(".coupon").filter(has_text=coupon_offer)
	offer.locator(".wd-button").click()
	toast(page, "领取成功")
	phone.screenshot("coupon-claimed")

	phone.open(f"pages/service/detail?item={ITEM}", fresh=True)
	tap(page, ".book-button")
	page.wait_for_url(re.compile(r"pages/booking/create"))
	windows = page.locator(".window.ok, .window.low")
	windows.first.click()
	page.locator(".grand-total").wait_for()
	before = page.locator(".grand-total").inner_text()
	tap(page, ".coupon-cell")
	page.locator(".wd-action-sheet__action").filter(has_text=coupon_offer).click()
	page.locator(".saving").filter(has_text="优惠券").wait_for()
	tap(page, ".points-switch")
	page.locator(".saving").filter(has_text="积分抵扣").wait_for()
	after = page.locator(".grand-total").inner_text()
	assert after != before, (before, after)
	assert "已省" in page.locator(".hs-bottom-bar").inner_text()
	phone.screenshot("quote-coupon-points")

	# the window fills up between the quote and the booking: the API's 409 is shown and the customer
	# picks another window (the answer is the API's own error shape for a full window)
	full = {
		"error": {"code": "NO_CAPACITY", "message": "该时段已约满，请选择其他时段", "type": "NoCapacityError"}
	}
	page.route(
		"**/home_service.api.customer.bookings.create_booking",
		lambda route: route.fulfill(status=409, json=full),
		times=1,
	)
	phone.allow(r"status of 409 .*create_booking")
	tap(page, ".submit-booking")
	modal = page.locator(".uni-modal")
	modal.get_by_text("该时段已约满，请选择其他时段").wait_for()
	phone.screenshot("window-full")
	page.locator(".uni-modal__btn_primary").click()
	windows.first.click()  # the windows left (the 409 was served by the test: the slot is still there)
	page.locator(".saving").filter(has_text="积分抵扣").wait_for()
	total = page.locator(".grand-total").inner_text()
	tap(page, ".submit-booking")
	page.wait_for_url(re.compile(r"pages/booking/pay"))
	page.locator(".pay-button").wait_for()
	assert total in page.locator(".pay").inner_text()
	pay_in_browser(phone)
	assert page.locator(".paid-amount").inner_text() == total


def test_paid_order_followed_to_review(phone, fakes, admin):
	_sms, _merchant, wechat = fakes
	page = phone.page
	_customer, answer = wechat_customer(wechat)
	logged_in(phone, answer)
	booking = book_in_browser(phone)
	pay_in_browser(phone)
	phone.screenshot("paid")

	def pending_offer():
		rows = admin.get(
			"/api/resource/HS Dispatch Offer",
			filters=json.dumps([["booking", "=", booking], ["status", "=", "Pending"]]),
			fields=json.dumps(["name", "technician"]),
		).json()["data"]
		return rows[0] if rows else None

	offer = wait_for(pending_offer)  # the RQ worker ran the dispatch rules
	# the technician's app logs in on the server side: their number's SMS limits are the other suites'
	# (a demo technician gets a User at their first login, as SMS login makes it)
	bench_execute("home_service.access.accounts.ensure_technician_user", technician=offer["technician"])
	login = bench_execute(
		"home_service.access.accounts.login_response", client="Technician App", technician=offer["technician"]
	)
	technician = TokenClient(login["token"])
	tech = "home_service.api.technician."
	ok(technician.call(tech + "offers.accept_offer", offer=offer["name"]))
	status_shown(phone, booking, "已接单")
	page.locator(".tech").wait_for()  # the technician card, with the call button once assigned
	assert page.get_by_text("联系师傅").is_visible()
	phone.screenshot("assigned")

	job = ok(technician.get(f"{API}technician.jobs.job_detail", booking=booking))
	lat, lng = job["address"]["latitude"], job["address"]["longitude"]
	ok(technician.call(tech + "jobs.depart", booking=booking))
	status_shown(phone, booking, "师傅在路上")
	ok(technician.call(tech + "jobs.arrive", booking=booking, latitude=lat, longitude=lng))
	ok(technician.call(tech + "jobs.start_service", booking=booking))
	ok(
		technician.call(
			tech + "jobs.propose_extra_charges",
			booking=booking,
			lines=[{"description": "更换点火针", "amount": "20.00"}],
		)
	)
	status_shown(phone, booking, "服务中")
	page.get_by_text("更换点火针").wait_for()
	phone.screenshot("extra-charge")
	tap(page, ".approve-extra")
	page.get_by_text("已同意").first.wait_for()

	uploaded = technician.post(
		f"{API}technician.jobs.upload_photo",
		data={"booking": booking},
		files={"file": ("after.png", io.BytesIO(png()), "image/png")},
	)
	photo = ok(uploaded)["file_url"]
	ok(
		technician.call(
			tech + "jobs.complete", booking=booking, photos=[{"file_url": photo, "stage": "After"}]
		)
	)
	status_shown(phone, booking, "待确认")
	phone.screenshot("awaiting-confirmation")
	tap(page, ".confirm-completion")
	page.locator(".uni-modal__btn_primary").click()
	phone.wait_for_text(".state", "已完成")
	tap(page, ".write-review")
	page.locator(".submit-review").wait_for()
	page.locator(".review-text textarea").fill("师傅很专业，准时到达")
	phone.screenshot("review")
	tap(page, ".submit-review")
	toast(page, "感谢您的评价")
	page.locator(".write-review").wait_for(state="detached")

	phone.open("pages-me/points")
	# points for the payment and the review
	page.wait_for_function("() => Number(document.querySelector('.balance .num')?.textContent) > 0")
	phone.screenshot("points")

	phone.open("pages/me/index")
	page.locator(".messages-cell").wait_for()
	page.wait_for_function("() => Number(document.querySelector('.stat-num')?.textContent) > 0")  # points
	phone.screenshot("me")
	tap(page, ".messages-cell")
	page.wait_for_url(re.compile(r"pages-me/messages"))
	page.locator(".message, .state").first.wait_for()
	phone.screenshot("messages")
	phone.open("pages-me/wallet")
	page.locator(".balance .num").wait_for()
	phone.screenshot("wallet")


def test_cancel_shows_fee_then_refund(phone, fakes):
	_sms, _merchant, wechat = fakes
	page = phone.page
	_customer, answer = wechat_customer(wechat)
	logged_in(phone, answer)
	book_in_browser(phone)
	pay_in_browser(phone)
	tap(page, ".cancel-booking")
	modal = page.locator(".uni-modal")
	modal.wait_for()
	assert re.search(r"不收取费用|取消费 ¥", modal.inner_text()), modal.inner_text()
	phone.screenshot("cancel-policy")
	page.locator(".uni-modal__btn_primary").click()
	page.get_by_text("订单已取消").first.wait_for()
	assert "退款 ¥" in page.locator(".uni-modal").inner_text()
	phone.screenshot("cancelled-refund")
	page.locator(".uni-modal__btn_primary").click()
	page.wait_for_function(
		"() => [...document.querySelectorAll('.state')].some((e) => /已取消|已退款/.test(e.textContent))"
	)

	# after-sales: a complaint about the booking
	tap(page, ".open-complaint")
	page.locator(".complaint-text textarea").fill("师傅临时取消，希望改进预约提醒")
	tap(page, ".submit-complaint")
	toast(page, "已提交，客服将尽快处理")
	page.locator(".open-complaint").wait_for(state="detached")  # one open complaint per booking
	phone.screenshot("complaint")


def test_expired_token_logs_in_and_comes_back(phone, fakes):
	sms, _pay, wechat = fakes
	page = phone.page
	customer, answer = wechat_customer(wechat)
	booking = book_by_api(customer)
	logged_in(phone, {**answer, "token": "hs_revoked_or_expired_token_0000000000000"})
	phone.allow(r"status of 401 .*customer\.bookings\.get_booking")  # the browser logs the 401 itself
	phone.allow(r"status of 404 .*customer\.bookings\.get_booking")  # see below
	phone.open(f"pages/orders/detail?booking={booking}")
	page.locator(".login-button").wait_for()  # the API answered 401: to the login page
	assert "redirect=" in page.url
	phone.screenshot("login-after-401")

	# a new SMS login here (the number's one code a minute rules out logging the same customer in
	# again within the test): the app comes back to the page it was on, with its query
	number = f"137{random.randrange(10**8):08d}"
	page.locator(".phone-input input").fill(number)
	tap(page, ".send-code")
	page.locator(".code-input input").fill(wait_until(lambda: sms.last_code(number)))
	tap(page, ".login-button")
	page.wait_for_url(re.compile(rf"pages/orders/detail\?booking={booking}"))
	page.locator("[role=alert]").wait_for()  # another customer's booking: not found, in the API's words
	phone.screenshot("back-to-the-order")


def test_reschedule_shows_the_policy(phone, fakes):
	_sms, _merchant, wechat = fakes
	page = phone.page
	_customer, answer = wechat_customer(wechat)
	logged_in(phone, answer)
	book_in_browser(phone)
	pay_in_browser(phone)
	before = page.get_by_text("上门时间").inner_text()
	tap(page, ".reschedule-booking")
	popup = page.locator(".wd-popup").filter(has_text="选择新的上门时间")
	popup.wait_for()
	assert re.search(r"前可免费改约|改约须在师傅出发前", popup.inner_text())
	popup.locator(".window.ok, .window.low").last.click()
	phone.screenshot("reschedule")
	popup.locator(".confirm-reschedule").click()
	toast(page, "已改约")
	page.wait_for_function(
		"(before) => [...document.querySelectorAll('uni-view')].some((e) => e.offsetParent !== null"
		" && e.textContent.startsWith('上门时间') && e.textContent !== before)",
		arg=before,
	)
	phone.screenshot("rescheduled")


def test_network_loss_shows_a_retry(phone):
	page = phone.page
	page.route(
		"**/home_service.api.public.categories", lambda route: route.abort("internetdisconnected"), times=1
	)
	phone.allow(r"ERR_INTERNET_DISCONNECTED")
	phone.open()
	page.get_by_text("网络不可用，请检查网络后重试").wait_for()
	phone.screenshot("offline")
	tap(page, ".retry-button")
	page.locator(".categories .wd-grid-item").first.wait_for()


def test_recycling_pickup_with_the_days_prices(phone, fakes):
	_sms, _pay, wechat = fakes
	page = phone.page
	_customer, answer = wechat_customer(wechat, 31.209441, 121.52861)  # in a recycling collector's reach
	logged_in(phone, answer)
	phone.open("pages/service/detail?item=RECYCLE-01")
	page.get_by_text("今日回收价（按类型）").wait_for()
	assert "预估回收款 ¥" in page.locator(".hs-bottom-bar").inner_text()
	phone.screenshot("recycling-prices")
	tap(page, ".book-button")
	page.wait_for_url(re.compile(r"pages/booking/create"))
	page.locator(".window.ok, .window.low").first.click()
	estimate = page.locator(".payout-estimate")
	estimate.wait_for()
	assert re.search(r"¥\d+\.\d\d", estimate.inner_text())
	phone.screenshot("recycling-estimate")
	tap(page, ".submit-booking")
	# nothing to pay for a pickup: straight to the order, which waits for the weighing
	page.wait_for_url(re.compile(r"pages/orders/detail"))
	page.locator(".recycling").get_by_text("回收员上门称重后").wait_for()
	phone.screenshot("recycling-order")


def test_search_suggests_services(phone):
	page = phone.page
	phone.open()
	tap(page, ".search .wd-search__cover")  # the search box shows its input once tapped
	page.locator(".search input").fill("燃气灶")
	page.locator(".suggestion").filter(has_text="燃气灶清洗").first.click()
	page.wait_for_url(re.compile(r"pages/service/detail\?item="))
	page.locator(".book-button").wait_for()
