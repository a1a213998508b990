"""What the technician app's browser tests do (test_technician_h5*.py): open the app at /t, make a paid
booking and find its offer, log a technician in (by SMS, or with a session minted on the server as
the customer suite does), go online."""

import json
import os
import re
from urllib.parse import urlparse

from hs_client import TokenClient, bench_execute
from mini_program import book_by_api, ok, post_webhook, wait_for, wait_until, wechat_customer

# as conftest.py's phone opens /m: the site's name, mapped to the test server by Chromium
SITE = os.environ.get("HS_SITE", "test.localhost")
APP_URL = f"http://{SITE}:{urlparse(os.environ.get('HS_BASE_URL', 'http://127.0.0.1:8000')).port or 80}/t"


def toast(page, text: str) -> None:
	"""A toast with this text was shown (it may be gone already on a slow machine; uni-h5 keeps it)."""
	page.locator(".uni-toast__content, .uni-simple-toast__text").filter(has_text=text).first.wait_for(
		state="attached"
	)


def open_tech(phone, route: str = "pages/index/index") -> None:
	phone.page.goto(f"{APP_URL}#/{route}")


def paid_booking(wechat, pay, most_free: bool = False) -> tuple[TokenClient, str]:
	"""A customer with an address books the item through the API and pays through the WeChat Pay
	fake, which posts its signed notification to the site; the booking's name. The first free window,
	or with `most_free` the window most technicians could still take (several to offer it to)."""
	customer = wechat_customer(wechat)
	booking = book_by_api(customer, most_free=most_free, key_prefix="t-h5")
	params = ok(customer.call("home_service.api.customer.payments.pay", booking=booking))
	webhook = post_webhook(*pay.paid_notification(params["out_trade_no"]))
	assert webhook.status_code == 204, webhook.text
	return customer, booking


def pending_offer(admin, booking: str) -> dict:
	def offer():
		rows = admin.get(
			"/api/resource/HS Dispatch Offer",
			filters=json.dumps([["booking", "=", booking], ["status", "=", "Pending"]]),
			fields=json.dumps(["name", "technician", "strategy"]),
		).json()["data"]
		return rows[0] if rows else None

	try:
		return wait_for(offer, seconds=20)  # the RQ worker ran the dispatch rules
	except AssertionError:
		# the worker is shared with the other suites (and benches) and may be busy with their jobs:
		# dispatch runs here as its job would (a booking dispatched already is left as it is)
		bench_execute("home_service.dispatch.engine.dispatch_booking", booking=booking)
		return wait_for(offer, seconds=10)


def log_in_as_technician(phone, sms, admin, technician: str) -> None:
	"""SMS login on the technician app with the number the technician registered with."""
	page = phone.page
	# a demo technician gets a User at their first login, as SMS login makes it
	bench_execute("home_service.access.accounts.ensure_technician_user", technician=technician)
	number = admin.get(f"/api/resource/HS Technician/{technician}").json()["data"]["mobile_no"]
	open_tech(phone)
	page.locator(".login-button").wait_for()  # no session: the workbench sends to the login page
	page.locator(".phone-input input").fill(number)
	page.locator(".consent").click()
	page.locator(".send-code").click()
	toast(page, "验证码已发送")
	code = wait_until(lambda: sms.last_code(number))
	page.locator(".code-input input").fill(code)
	phone.screenshot("login")
	page.locator(".login-button").click()
	page.locator(".online-switch").wait_for()


def go_online(phone) -> None:
	page = phone.page
	page.locator(".jobs-section").wait_for()  # the workbench has loaded the technician's presence
	# 服务中 (Busy): online with a job under way (a demo technician may have one)
	if page.locator(".presence-state").inner_text() not in ("接单中", "服务中"):
		page.locator(".online-switch").click()
		page.locator(".presence-state").filter(has_text=re.compile("接单中|服务中")).wait_for()


def offer_card(page, booking: str):
	card = page.locator(f'.offer[data-booking="{booking}"]')
	card.wait_for()
	return card


def technician_session(technician: str) -> dict:
	"""A technician app login minted on the server, as SMS login would answer (test setup: a number
	gets one code a minute, and dispatch may pick the same demo technician in several tests)."""
	bench_execute("home_service.access.accounts.ensure_technician_user", technician=technician)
	return bench_execute(
		"home_service.access.accounts.login_response", client="Technician App", technician=technician
	)


def logged_in_as(phone, technician: str) -> TokenClient:
	"""The browser starts with this technician's login in its storage; their API client."""
	answer = technician_session(technician)
	session = {"token": answer["token"], "expires_on": answer["expires_on"], "technician": technician}
	phone.page.add_init_script(
		f"localStorage.setItem('hs_tech:hs_session', {json.dumps(json.dumps(session))});"
		"localStorage.setItem('hs_tech:privacy_accepted', '1');"
	)
	return TokenClient(answer["token"])
