"""Helpers for the login suites: a mini-program client, the fakes wired into the site (the `providers`
fixture in conftest.py), the error shape."""

import os
import random
from dataclasses import dataclass

import requests
from fakes import AlipayFake, AliyunSmsFake, WeChatFake
from hs_client import BASE_URL, bench_execute
from mini_program import random_ip

SITE = os.environ.get("HS_SITE", "test.localhost")
AUTH = "home_service.api.auth"


def forget_sms_quota(phone: str) -> None:
	"""Let `phone` be sent another code now (one a minute is the rule): for tests that log in twice."""
	bench_execute("home_service.tests.http_staging.forget_sms_quota", phone=phone)


def random_phone() -> str:
	return "1" + random.choice("3456789") + str(random.randrange(10**9)).zfill(9)


class MiniProgram:
	"""A mini-program: no cookies, its own (forged) client IP so per-IP limits of tests don't mix."""

	def __init__(self, token: str | None = None, ip: str | None = None):
		self.http = requests.Session()
		self.ip = ip or random_ip()
		self.http.headers["X-Forwarded-For"] = self.ip
		self.http.headers["X-Frappe-Site-Name"] = SITE  # gunicorn serves every site of the bench
		if token:
			self.http.headers["X-HS-Token"] = token

	def auth(self, method: str, **data):
		return self.http.post(f"{BASE_URL}/api/method/{AUTH}.{method}", json=data, timeout=60)

	def get(self, path: str, **params):
		return self.http.get(f"{BASE_URL}{path}", params=params, timeout=60)

	def me(self):
		return self.get(f"/api/method/{AUTH}.me")


@dataclass
class Providers:
	wechat: WeChatFake
	alipay: AlipayFake
	sms: AliyunSmsFake

	def sms_login(self, phone: str | None = None, **kwargs) -> dict:
		"""Log a new (or the given) number in by text message; the reply as JSON."""
		phone = phone or random_phone()
		client = MiniProgram()
		sent = client.auth("sms_send_code", phone=phone)
		assert sent.status_code == 200, sent.text
		reply = client.auth("sms_login", phone=phone, code=self.sms.last_code(phone), **kwargs)
		assert reply.status_code == 200, reply.text
		return reply.json()["message"]

	def secret_values(self) -> list[str]:
		"""Every value that must never show up in a response or a log."""
		return [
			self.wechat.secret,
			*self.wechat.session_keys,
			*self.wechat.access_tokens,
			self.alipay.app_keys.private_base64[64:128],
			self.sms.key_secret,
		]


def error_of(response) -> dict:
	"""The API's one error shape: {"error": {"code", "message", "type"}}."""
	body = response.json()
	assert set(body) == {"error"}, body
	assert set(body["error"]) == {"code", "message", "type"}, body
	return body["error"]
