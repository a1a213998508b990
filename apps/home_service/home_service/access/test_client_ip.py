# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The address rate limits key on: X-Forwarded-For counts only when trusted proxies pass it on."""

from unittest.mock import patch

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.access import client_ip


def request_ip(peer: str | None, *forwarded_for: str, trusted=None) -> str:
	"""What the before_request hook makes of one request (site config hs_trusted_proxies = trusted)."""
	builder = EnvironBuilder(path="/api/method/ping", headers=[("X-Forwarded-For", v) for v in forwarded_for])
	environ = builder.get_environ()
	if peer is None:
		environ.pop("REMOTE_ADDR", None)
	else:
		environ["REMOTE_ADDR"] = peer
	conf = frappe._dict(frappe.local.conf)
	conf.pop("hs_trusted_proxies", None)
	if trusted is not None:
		conf["hs_trusted_proxies"] = trusted
	with (
		patch.object(frappe.local, "request", Request(environ), create=True),
		patch.object(frappe.local, "conf", conf),
		patch.object(frappe.local, "request_ip", "203.0.113.99", create=True),
	):
		client_ip.set_request_ip()
		return frappe.local.request_ip


class TestClientIp(FrappeTestCase):
	def test_a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address(self):
		self.assertEqual(request_ip("198.51.100.7", "10.1.2.3"), "198.51.100.7")
		self.assertEqual(request_ip("198.51.100.7", "10.1.2.3", trusted=["10.0.0.0/8"]), "198.51.100.7")
		self.assertEqual(request_ip("198.51.100.7"), "198.51.100.7")

	def test_by_default_only_a_proxy_on_this_host_is_believed(self):
		self.assertEqual(request_ip("127.0.0.1", "198.51.100.7"), "198.51.100.7")
		self.assertEqual(request_ip("::1", "2001:db8::5"), "2001:db8::5")
		self.assertEqual(request_ip("10.0.0.2", "198.51.100.7"), "10.0.0.2")

	def test_an_empty_list_trusts_nobody(self):
		self.assertEqual(request_ip("127.0.0.1", "198.51.100.7", trusted=[]), "127.0.0.1")
		self.assertEqual(request_ip("127.0.0.1", "198.51.100.7", trusted=""), "127.0.0.1")

	def test_the_entry_a_client_forged_before_the_proxy_appended_is_ignored(self):
		# nginx with $proxy_add_x_forwarded_for appends the peer it saw to what the client sent
		self.assertEqual(request_ip("127.0.0.1", "1.1.1.1, 198.51.100.7"), "198.51.100.7")
		# two proxies: a load balancer in 10.0.0.0/8, then nginx on this host
		trusted = ["10.0.0.0/8", "127.0.0.1"]
		self.assertEqual(
			request_ip("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.0.0.5", trusted=trusted), "198.51.100.7"
		)
		# several headers are one list, in order
		self.assertEqual(request_ip("127.0.0.1", "1.1.1.1", "198.51.100.7", trusted=trusted), "198.51.100.7")
		self.assertEqual(
			request_ip("10.9.9.9", "198.51.100.7", trusted="10.0.0.0/8, 127.0.0.1"), "198.51.100.7"
		)

	def test_addresses_with_ports_and_mapped_ipv4_are_read_and_junk_is_not(self):
		self.assertEqual(request_ip("127.0.0.1", "198.51.100.7:5123"), "198.51.100.7")
		self.assertEqual(request_ip("127.0.0.1", "[2001:db8::5]:443"), "2001:db8::5")
		self.assertEqual(request_ip("::ffff:127.0.0.1", "198.51.100.7"), "198.51.100.7")
		self.assertEqual(request_ip("127.0.0.1", "unknown"), "127.0.0.1")
		self.assertEqual(request_ip("127.0.0.1", "198.51.100.7, <script>"), "127.0.0.1")
		self.assertEqual(request_ip(None, "198.51.100.7"), "198.51.100.7")  # a Unix socket: this host
		self.assertEqual(request_ip("127.0.0.1", "198.51.100.7", trusted=["not-a-network"]), "127.0.0.1")
