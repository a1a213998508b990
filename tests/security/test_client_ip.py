"""Which client address the per-IP login limits count under (site config hs_trusted_proxies).

The test connects from its own loopback address (127.x.y.z, not 127.0.0.1) so that its counters are
its own, and makes that address an untrusted peer or a trusted proxy through the site config."""

import random
from urllib.parse import urlsplit

import pytest
import requests
from auth_helpers import SITE, error_of, random_ip
from fakes.site import site_config
from hs_client import BASE_URL
from requests.adapters import HTTPAdapter

LOGIN = f"{BASE_URL}/api/method/home_service.api.auth.wechat_login"
LIMIT = 3  # hs_login_rate_limit for these tests: login calls a minute per client address


class FromAddress(HTTPAdapter):
	"""Connect from a chosen local source address (a peer the server sees as REMOTE_ADDR)."""

	def __init__(self, address: str):
		self.address = address
		super().__init__()

	def init_poolmanager(self, *args, **kwargs):
		kwargs["source_address"] = (self.address, 0)
		super().init_poolmanager(*args, **kwargs)


@pytest.fixture
def peer():
	if urlsplit(BASE_URL).hostname != "127.0.0.1":
		pytest.fail(
			f"these tests pick a loopback source address: run the server on 127.0.0.1, not {BASE_URL}"
		)
	address = f"127.{random.randrange(1, 255)}.{random.randrange(256)}.{random.randrange(1, 255)}"
	http = requests.Session()
	http.mount("http://", FromAddress(address))
	http.headers["X-Frappe-Site-Name"] = SITE
	http.address = address
	return http


def login_statuses(http, forwarded_for: list[str]) -> list[int]:
	"""Status of one malformed login per X-Forwarded-For value (422 until the limit answers 429)."""
	statuses = []
	for value in forwarded_for:
		response = http.post(LOGIN, json={"code": ""}, headers={"X-Forwarded-For": value}, timeout=30)
		statuses.append(response.status_code)
		if response.status_code == 429:
			assert error_of(response)["code"] == "RATE_LIMITED"
	return statuses


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_change_the_key(peer):
	with site_config(hs_trusted_proxies=["127.0.0.1/32"], hs_login_rate_limit=LIMIT):
		statuses = login_statuses(peer, [random_ip() for _ in range(LIMIT + 1)])
	# every call counted under the peer's own address, whatever it claimed
	assert statuses == [422] * LIMIT + [429], statuses


def test_the_forwarded_for_of_a_trusted_proxy_is_the_key(peer):
	clients = [random_ip() for _ in range(LIMIT + 1)]
	with site_config(hs_trusted_proxies=[f"{peer.address}/32"], hs_login_rate_limit=LIMIT):
		# each client behind the proxy has its own counter ...
		assert login_statuses(peer, clients) == [422] * (LIMIT + 1)
		# ... and one client is limited whatever it puts before the address the proxy appended
		forged = [f"{random_ip()}, {clients[0]}" for _ in range(LIMIT)]
		assert login_statuses(peer, forged) == [422] * (LIMIT - 1) + [429]


def test_by_default_a_proxy_on_this_host_is_trusted(peer):
	with site_config(hs_login_rate_limit=LIMIT):
		assert login_statuses(peer, [random_ip() for _ in range(LIMIT + 1)]) == [422] * (LIMIT + 1)
