"""The money suites: WeChat login, WeChat Pay and SMS fakes wired into the running site, and
customers who logged in through the WeChat fake (so they have an openid to pay with)."""

import secrets
import time
import uuid
from datetime import date, timedelta

import pytest
import requests
from fakes import AliyunSmsFake, WeChatFake, WeChatPayFake
from fakes.site import SITE, hs_settings, site_config
from hs_client import BASE_URL, TokenClient

API = "/api/method/home_service.api."
ITEM = "KITCHEN-CLEAN-02"  # 燃气灶清洗: fixed price, many technicians in the demo city


def ok(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


class World:
	def __init__(self, wechat: WeChatFake, pay: WeChatPayFake, sms: AliyunSmsFake):
		self.wechat, self.pay, self.sms = wechat, pay, sms

	def customer(self) -> TokenClient:
		"""A new customer logged in through wx.login, with a serviceable address."""
		reply = requests.post(
			f"{BASE_URL}{API}auth.wechat_login",
			json={"code": self.wechat.login_code()},
			headers={"X-Frappe-Site-Name": SITE},
			timeout=60,
		)
		client = TokenClient(ok(reply)["token"])
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

	def notify(self, headers: dict, body: bytes, method: str = "wechatpay"):
		"""POST a webhook to the site exactly as the provider would (raw body, its headers)."""
		return requests.post(
			f"{BASE_URL}{API}notify.{method}",
			data=body,
			headers={**headers, "X-Frappe-Site-Name": SITE},
			timeout=60,
		)


@pytest.fixture(scope="module")
def world(admin):
	with WeChatFake() as wechat, WeChatPayFake(appid=wechat.appid) as pay, AliyunSmsFake() as sms:
		config = {
			"hs_wechat_api_base": wechat.url,
			"hs_wechatpay_base": pay.url,
			"hs_aliyun_sms_endpoint": sms.url,
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
			with hs_settings(admin, "HS Payment Settings", **pay.settings()):
				yield World(wechat, pay, sms)


def wait_for(fetch, seconds: float = 90):
	"""Poll `fetch` until it returns something truthy (work the RQ worker does after a request)."""
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		value = fetch()
		if value:
			return value
		time.sleep(0.5)
	raise AssertionError("the worker did not get there in time")


def next_windows(client, address: str, count: int = 1) -> list[str]:
	start = date.today() + timedelta(days=1)
	slots = ok(
		client.get(
			f"{API}customer.bookings.get_slots",
			item=ITEM,
			address=address,
			date_from=str(start),
			date_to=str(start + timedelta(days=6)),
		)
	)
	free = [w["start"] for day in slots["days"] for w in day["windows"] if w["available"]]
	if len(free) < count:
		pytest.skip("the demo city has too few free windows this week")
	return free[:count]


def book(client, window: str | None = None) -> dict:
	address = ok(client.get(f"{API}customer.addresses.list_addresses"))["items"][0]["address"]
	window = window or next_windows(client, address)[0]
	return ok(
		client.call(
			"home_service.api.customer.bookings.create_booking",
			items=[{"service_item": ITEM, "quantity": 1}],
			address=address,
			window_start=window,
			idempotency_key=f"pytest-{uuid.uuid4().hex}",
		)
	)
