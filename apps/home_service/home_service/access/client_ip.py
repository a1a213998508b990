"""The client address that every per-IP rate limit counts under (`frappe.local.request_ip`).

Frappe v15 (frappe.auth.HTTPRequest.set_request_ip) takes the first X-Forwarded-For entry of any
request, so a client that sends the header itself chooses the address its calls are counted under and
walks around every per-IP limit (login, SMS codes, guest catalogue). The `before_request` hook below
replaces that address before any whitelisted method runs, believing X-Forwarded-For only from the
proxies the site names in site config `hs_trusted_proxies` (CIDRs or addresses, a JSON list or a
comma-separated string):

- absent: the loopback networks only (127.0.0.0/8, ::1): the nginx that `bench setup production`
  puts on the same host (a process on this machine could forge its address anyway);
- `[]`: nobody, the socket peer is the client whatever the headers say;
- a list: those networks (e.g. a load balancer's subnet) and nothing else.

The client is found by walking from the socket peer leftwards through X-Forwarded-For while the
address at hand is a trusted proxy: proxies append what they saw, so an entry a client wrote itself
sits to the left of the first untrusted address and is never used.

Frappe's own Desk password login counts failures per IP before app hooks run, from the unchecked
header; its per-user lockout is unaffected (see the README, "Behind a proxy").
"""

import functools
import ipaddress

import frappe

LOOPBACK = ("127.0.0.0/8", "::1/128")
UNKNOWN_PEER = "127.0.0.1"  # no REMOTE_ADDR: a Unix socket, so a process on this machine (Frappe's value)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def set_request_ip() -> None:
	"""`before_request` hook: the address the rate limits of this request key on."""
	request = getattr(frappe.local, "request", None)
	if request is None:
		return
	frappe.local.request_ip = client_ip(
		request.remote_addr, request.headers.getlist("X-Forwarded-For"), trusted_proxies()
	)


def client_ip(peer: str | None, forwarded_for: list[str], trusted: tuple[Network, ...]) -> str:
	"""The client's address: the peer, or the X-Forwarded-For entry that trusted proxies vouch for."""
	current = parse_address(peer or UNKNOWN_PEER) or parse_address(UNKNOWN_PEER)
	hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
	while hops and is_trusted(current, trusted):
		previous = parse_address(hops.pop())
		if previous is None:  # not an address: no proxy wrote it; stop at the proxy that passed it on
			break
		current = previous
	return str(current)


def is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
	return any(address.version == network.version and address in network for network in trusted)


def parse_address(value: str) -> Address | None:
	"""An IPv4 / IPv6 address, also as written with a port ("1.2.3.4:80", "[::1]:80"); None if not one."""
	value = value.strip()
	if value.startswith("[") and "]" in value:
		value = value[1 : value.index("]")]
	elif value.count(":") == 1:
		value = value.split(":", 1)[0]
	try:
		address = ipaddress.ip_address(value)
	except ValueError:
		return None
	mapped = getattr(address, "ipv4_mapped", None)  # "::ffff:10.0.0.1" is 10.0.0.1
	return mapped or address


def trusted_proxies() -> tuple[Network, ...]:
	configured = frappe.conf.get("hs_trusted_proxies")
	if configured is None:
		configured = LOOPBACK
	elif isinstance(configured, str):
		configured = configured.split(",")
	elif not isinstance(configured, list | tuple):
		configured = ()
	return _networks(tuple(str(value).strip() for value in configured if str(value).strip()))


@functools.lru_cache(maxsize=32)
def _networks(values: tuple[str, ...]) -> tuple[Network, ...]:
	networks = []
	for value in values:
		try:
			networks.append(ipaddress.ip_network(value, strict=False))
		except ValueError:  # a typo must not fail every request; it trusts nothing and says so once
			frappe.logger("home_service").warning(f"hs_trusted_proxies: {value!r} is not a network, ignored")
	return tuple(networks)
