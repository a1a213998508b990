"""The customer mini-program's H5 build in a real browser: headless Debian Chromium driven by
Playwright for Python, phone-sized (390×844, zh-CN, touch, geolocation granted), against the site
bench-config/test.sh starts (HS_BASE_URL, HS_SITE), which serves the build at /m.

As in tests/browser, the browser opens http://HS_SITE:PORT/ and Chromium's --host-resolver-rules maps
that name to the server, so the Host header picks the site. Any console error or uncaught page error
fails the test; a screenshot of every page goes to HS_ARTIFACTS/miniprogram/.
"""

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fakes import AliyunSmsFake
from fakes.site import hs_settings, site_config
from mini_program import random_ip, wechat_login_and_pay

CHROMIUM = os.environ.get("HS_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(os.environ.get("ROOT", Path(__file__).resolve().parents[2]))
ARTIFACTS = Path(os.environ.get("HS_ARTIFACTS", ROOT / "test-artifacts" / "browser")) / "miniprogram"
SERVER = urlparse(os.environ.get("HS_BASE_URL", "http://127.0.0.1:8000"))
SITE = os.environ.get("HS_SITE", "test.localhost")
BASE_URL = f"http://{SITE}:{SERVER.port or 80}"
BUILD = ROOT / "apps" / "home_service" / "home_service" / "www" / "m.html"
SHANGHAI = {"latitude": 31.1880, "longitude": 121.4370}  # inside the demo city's service area


class Phone:
	"""One phone-sized tab on the H5 app: console errors recorded, numbered screenshots."""

	def __init__(self, context, test_name: str):
		self.context = context
		self.page = context.new_page()
		self.page.set_default_timeout(20_000)
		self.name = re.sub(r"[^A-Za-z0-9_]+", "_", test_name)
		self.errors: list[str] = []
		self.allowed: list[re.Pattern] = []
		self.api_calls: list[str] = []
		self.shots = 0
		self.page.on("console", self._on_console)
		self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
		self.page.on("request", self._on_request)

	def _on_console(self, message):
		if message.type == "error":
			line = f"{message.text} ({(message.location or {}).get('url', '')})"
			if not any(pattern.search(line) for pattern in self.allowed):
				self.errors.append(line)

	def allow(self, pattern: str) -> None:
		"""A console error this test expects (e.g. the browser's line for a 401 it provokes)."""
		self.allowed.append(re.compile(pattern))

	def _on_request(self, request):
		if "/api/method/" in request.url:
			self.api_calls.append(request.url.split("/api/method/", 1)[1].split("?", 1)[0])

	def open(self, route: str = "pages/index/index", fresh: bool = False) -> None:
		"""Go to a page of the app; `fresh` loads the app again (a new page, not one kept in the stack)."""
		self.page.goto(f"{BASE_URL}/m#/{route}")
		if fresh:
			self.page.reload()

	def wait_for_text(self, selector: str, text: str) -> None:
		"""A visible element matching `selector` whose text is `text` (pages kept in the stack are hidden)."""
		self.page.wait_for_function(
			"([sel, text]) => [...document.querySelectorAll(sel)]"
			".some((e) => e.offsetParent !== null && e.textContent.trim() === text)",
			arg=[selector, text],
		)

	def screenshot(self, label: str) -> Path:
		self.shots += 1
		path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"
		self.page.screenshot(path=str(path))
		return path

	def assert_no_console_errors(self) -> None:
		assert not self.errors, "console errors:\n" + "\n".join(self.errors)


@pytest.fixture(scope="session")
def h5_browser(chromium):
	if not BUILD.exists():
		pytest.fail(f"no H5 build at {BUILD}: bench-config/setup.sh builds it (npm run build:h5)")
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	return chromium  # the run's one Chromium (tests/conftest.py)


def new_phone(h5_browser, name: str) -> Phone:
	context = h5_browser.new_context(
		viewport={"width": 390, "height": 844},
		device_scale_factor=2,
		is_mobile=True,
		has_touch=True,
		locale="zh-CN",
		timezone_id="Asia/Shanghai",
		geolocation=SHANGHAI,
		permissions=["geolocation"],
		# a phone of its own: per-IP limits (SMS codes, logins) count it apart from the other suites
		extra_http_headers={"X-Forwarded-For": random_ip()},
	)
	return Phone(context, name)


def close_phone(phone: Phone) -> None:
	try:
		phone.screenshot("end")
	finally:
		phone.context.close()
	phone.assert_no_console_errors()


@pytest.fixture
def phone(h5_browser, request):
	phone = new_phone(h5_browser, request.node.name)
	yield phone
	close_phone(phone)


@pytest.fixture
def another_phone(h5_browser, request):
	"""A second phone in the same test (two technicians grabbing the same job)."""
	phone = new_phone(h5_browser, f"{request.node.name}-2")
	yield phone
	close_phone(phone)


@pytest.fixture(scope="module")
def tech_fakes(admin):
	"""The technician app's fakes: SMS (the technician's login code), WeChat login (customers, payout
	accounts) and WeChat Pay (the customers' payments, withdrawals), wired into the running site and
	put back afterwards."""
	with AliyunSmsFake() as sms, wechat_login_and_pay(admin) as (wechat, pay):
		sms_login = {
			"sms_provider": "Aliyun",
			"sms_sign_name": "上门服务",
			"sms_login_template": "SMS_" + secrets.token_hex(4),
			"sms_access_key_id": sms.key_id,
			"sms_access_key_secret": sms.key_secret,
		}
		with (
			site_config(hs_aliyun_sms_endpoint=sms.url, throttle_user_limit=5000),
			hs_settings(admin, **sms_login),
		):
			yield sms, pay, wechat
