"""What several HTTP suites do as a mini-program would: log a customer in through the WeChat fake,
pay through the WeChat Pay fake, post a provider's webhook, and wait for work the RQ worker does
after a request."""

import random
import time
from contextlib import contextmanager

import requests
from fakes import WeChatFake, WeChatPayFake, WeChatPayIdentity
from fakes.site import SITE, hs_settings, site_config
from hs_client import BASE_URL, TokenClient

API = "/api/method/home_service.api."


ITEM = "KITCHEN-CLEAN-02"  # 燃气灶清洗: fixed price, many technicians in the demo city


def book_by_api(client: TokenClient, most_free: bool = False, key_prefix: str = "h5-test") -> str:
	"""A booking of ITEM made through the API by a customer with an address (as another device of the
	customer would); its name. The first free window, or with `most_free` the window most technicians
	could still take (several to offer it to)."""
	address = ok(client.get(f"{API}customer.addresses.list_addresses"))["items"][0]["address"]
	slots = ok(client.get(f"{API}customer.bookings.get_slots", item=ITEM, address=address))
	free = [w for day in slots["days"] for w in day["windows"] if w["available"]]
	window = (max(free, key=lambda w: w["capacity"]) if most_free else free[0])["start"]
	created = client.call(
		"home_service.api.customer.bookings.create_booking",
		items=[{"service_item": ITEM, "quantity": 1}],
		address=address,
		window_start=window,
		idempotency_key=f"{key_prefix}-{time.time_ns()}-{random.randrange(10**6)}",
	)
	return ok(created)["booking"]


def random_ip() -> str:
	"""A client address of its own (the site trusts X-Forwarded-For from loopback), so per-IP limits
	such as logins a minute count each simulated phone separately."""
	return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def ok(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


@contextmanager
def wechat_login_and_pay(admin):
	"""WeChat login and WeChat Pay fakes wired into the site for the block (site_config.json, HS
	Settings, HS Payment Settings; all put back): yields (login fake, pay fake)."""
	with WeChatFake() as login, WeChatPayFake(appid=login.appid) as pay:
		config = {"hs_wechat_api_base": login.url, "hs_wechatpay_base": pay.url, "hs_gateway_timeout": 2}
		with site_config(**config), hs_settings(admin, wechat_appid=login.appid, wechat_secret=login.secret):
			with hs_settings(admin, "HS Payment Settings", **pay.settings()):
				yield login, pay


@contextmanager
def dev_cashier(admin, appid: str | None = None):
	"""The site's development sandbox for WeChat Pay (billing/dev_cashier.py) switched on for the block,
	as `dev_cashier.enable` does on a development site: a made-up merchant in HS Payment Settings, the
	sandbox provider's key in site config (both put back). Yields the merchant's identity."""
	me = WeChatPayIdentity.new(appid)
	with site_config(hs_dev_cashier={"platform_private_key": me.platform_keys.private_pem}):
		with hs_settings(admin, "HS Payment Settings", notify_base_url="", **me.settings()):
			yield me


def wechat_customer(wechat: WeChatFake) -> TokenClient:
	"""A new customer logged in through wx.login (so they have an openid to pay with) and one
	serviceable address; `client.customer` is their HS Customer."""
	answer = ok(
		requests.post(
			f"{BASE_URL}{API}auth.wechat_login",
			json={"code": wechat.login_code()},
			headers={"X-Frappe-Site-Name": SITE, "X-Forwarded-For": random_ip()},
			timeout=60,
		)
	)
	client = TokenClient(answer["token"])
	client.customer = answer["customer"]
	ok(
		client.call(
			"home_service.api.customer.addresses.add_address",
			contact_name="测试用户",
			contact_phone="13800000000",
			city="上海市",
			district="徐汇区",
			detail_address="漕溪北路1号",
			latitude=31.1880,
			longitude=121.4370,
		)
	)
	return client


def post_webhook(headers: dict, body: bytes, method: str = "wechatpay") -> requests.Response:
	"""POST a webhook to the site exactly as the provider would (raw body, its headers)."""
	return requests.post(
		f"{BASE_URL}{API}notify.{method}",
		data=body,
		headers={**headers, "X-Frappe-Site-Name": SITE},
		timeout=60,
	)


def wait_for(
	fetch, seconds: float = 90, every: float = 0.5, failure: str = "the worker did not get there in time"
):
	"""Poll `fetch` until it returns something truthy (work the RQ worker does after a request)."""
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		value = fetch()
		if value:
			return value
		time.sleep(every)
	raise AssertionError(failure)


def wait_until(fetch, seconds: float = 10):
	"""Poll `fetch` briefly until it returns something truthy (what a page or a fake shows after a tap)."""
	return wait_for(fetch, seconds, every=0.2, failure="not there in time")
