"""The money suites: WeChat login, WeChat Pay and SMS fakes wired into the running site, and
customers who logged in through the WeChat fake (so they have an openid to pay with)."""

import secrets
import uuid
from datetime import date, timedelta

import pytest
from fakes import AliyunSmsFake, WeChatFake, WeChatPayFake
from fakes.site import hs_settings, site_config
from hs_client import TokenClient
from mini_program import API, ok, post_webhook, wechat_customer

ITEM = "KITCHEN-CLEAN-02"  # 燃气灶清洗: fixed price, many technicians in the demo city


class World:
	def __init__(self, wechat: WeChatFake, pay: WeChatPayFake, sms: AliyunSmsFake):
		self.wechat, self.pay, self.sms = wechat, pay, sms

	def customer(self) -> TokenClient:
		"""A new customer logged in through wx.login, with a serviceable address."""
		return wechat_customer(self.wechat)

	def notify(self, headers: dict, body: bytes, method: str = "wechatpay"):
		"""POST a webhook to the site exactly as the provider would (raw body, its headers)."""
		return post_webhook(headers, body, method)


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
