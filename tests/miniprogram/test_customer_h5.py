"""The customer mini-program (H5 build at /m) in a phone-sized browser against the real site:
SMS login (through the SMS fake) → address with the browser's location → arrival window → quote →
booking → pay through the H5 payment adapter, which hands the order to the WeChat Pay fake; the fake
posts its signed notification to the site → the order page shows the booking paid."""

import json
import random
import re
import secrets
import time

import pytest
from fakes import AliyunSmsFake, WeChatPayFake
from fakes.site import hs_settings, site_config
from hs_client import bench_execute
from mini_program import post_webhook

ITEM = "KITCHEN-CLEAN-02"  # 燃气灶清洗: fixed price, many technicians in the demo city


@pytest.fixture(scope="module")
def fakes(admin):
	"""The SMS and WeChat Pay fakes wired into the running site (put back afterwards)."""
	with AliyunSmsFake() as sms, WeChatPayFake() as pay:
		config = {
			"hs_aliyun_sms_endpoint": sms.url,
			"hs_wechatpay_base": pay.url,
			"hs_gateway_timeout": 2,
			"throttle_user_limit": 5000,
		}
		login = {
			"sms_provider": "Aliyun",
			"sms_sign_name": "上门服务",
			"sms_login_template": "SMS_" + secrets.token_hex(4),
			"sms_access_key_id": sms.key_id,
			"sms_access_key_secret": sms.key_secret,
		}
		with site_config(**config), hs_settings(admin, **login):
			with hs_settings(admin, "HS Payment Settings", **pay.settings()):
				yield sms, pay


def customer_of_phone(admin, phone: str) -> str:
	rows = admin.get(
		"/api/resource/HS Customer",
		filters=json.dumps([["mobile_no", "like", f"%{phone}"]]),
		fields=json.dumps(["name"]),
	).json()["data"]
	assert rows, f"no customer with {phone}"
	return rows[0]["name"]


def wait_until(fetch, seconds: float = 10):
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		value = fetch()
		if value:
			return value
		time.sleep(0.2)
	raise AssertionError("not there in time")


def tap(page, selector: str) -> None:
	page.locator(selector).first.click()


def test_sms_login_book_and_pay(phone, fakes, admin):
	sms, pay = fakes
	page = phone.page
	number = f"139{random.randrange(10**8):08d}"
	paid_orders: list[str] = []

	def pay_at_fake(out_trade_no: str) -> str:
		"""The H5 payment adapter's other end: the customer pays at the WeChat Pay fake, which posts
		its signed notification to the site."""
		answer = post_webhook(*pay.paid_notification(out_trade_no))
		assert answer.status_code == 204, answer.text
		paid_orders.append(out_trade_no)
		return "paid"

	page.expose_function("hsPayAtFake", pay_at_fake)
	page.add_init_script(
		"window.hsPayAdapter = async (order) => window.hsPayAtFake(order.params.out_trade_no)"
	)

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
	page.get_by_text("请先阅读并同意隐私政策").wait_for()
	assert not sms.messages_to(number)
	tap(page, ".consent")
	tap(page, ".send-code")
	page.get_by_text("验证码已发送").wait_for()
	code = wait_until(lambda: sms.last_code(number))
	page.locator(".code-input input").fill(code)
	phone.screenshot("login")
	tap(page, ".login-button")
	page.wait_for_url(re.compile(r"pages/service/detail"))
	page.locator(".book-button").wait_for()

	# an H5 customer paying with WeChat Pay has the openid WeChat's web login would give them
	customer = customer_of_phone(admin, number)
	bench_execute(
		"frappe.db.set_value",
		dt="HS Customer",
		dn=customer,
		field="wechat_openid",
		val=f"o-h5-{secrets.token_hex(8)}",
	)

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
	tap(page, ".submit-booking")

	page.wait_for_url(re.compile(r"pages/booking/pay"))
	page.locator(".pay-button").wait_for()
	phone.screenshot("pay")
	tap(page, ".pay-button")
	page.wait_for_url(re.compile(r"pages/orders/detail"), timeout=30_000)
	page.locator(".paid-amount").wait_for()
	assert page.locator(".paid-amount").inner_text() == total
	assert len(paid_orders) == 1
	page.get_by_text("已支付").first.wait_for()
	phone.screenshot("order-paid")

	booking = re.search(r"booking=([^&]+)", page.url).group(1)
	detail = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"]
	assert detail["payment_status"] == "Paid"
	assert detail["source_channel"] == "H5"

	phone.open("pages/orders/list")
	page.locator(f'.order[data-booking="{booking}"]').wait_for()
	phone.screenshot("orders")
	print(f"\nH5 figures: home with categories {home_seconds:.2f}s, booking slots {slots_seconds:.2f}s")
	print(f"H5 API calls: {len(phone.api_calls)}")
