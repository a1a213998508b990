"""Mini-program API benchmark against a running site with the demo city, on loopback, in one run:
throughput and p50/p99 of `ping` sent with the mini-program's token (the framework's floor), the
catalogue list, booking detail and create booking, each as a ratio to that ping.

	.tools/bin/python tests/load/bench_api.py [--connections 8] [--calls 400] [--creates 60] [--rounds 5]

Targets (issue): at 8 connections, reads at least 50 % of ping, create booking at least 20 %, p99
under 250 ms. Bookings the run creates are cancelled at the end.

The machine is shared and its speed drifts within seconds, so every endpoint is measured right after a
ping run of its own and compared with it; the pairs are repeated in rounds and the median is reported.
Every endpoint is warmed up first (each gunicorn worker caches what a call needs on its first one).
Creates book distinct free windows, as many per round as the free windows allow (at most `--creates`).

Eight connections are eight mini-program users: every connection logs in its own customer through the
WeChat login fake (as `tests/mini_program.py` does) and books at that customer's address.
`--same-customer` books everything as the demo customer instead (their creates do not queue on each other
either: only replays of one idempotency key wait for the first).
"""

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes import WeChatFake
from fakes.site import hs_settings, site_config
from hs_client import BASE_URL, Client, bench_execute, server_side_token
from loadgen import run
from mini_program import wechat_customer
from proc_cpu import Meter
from slots import free_windows

SITE = os.environ.get("HS_SITE", "test.localhost")
API = f"{BASE_URL}/api/method/home_service.api."
ITEMS = ("KITCHEN-CLEAN-02", "AC-CLEAN-01", "CLEAN-DAILY-01")


def ok(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


def windows(session, address: str, days: int = 14, headers: dict | None = None) -> list[tuple[str, str]]:
	"""`slots.free_windows` of ITEMS at `address`, asked over HTTP."""

	def get_days(item: str, date_from: str, date_to: str) -> list | None:
		answer = session.get(
			f"{API}customer.bookings.get_slots",
			params={"item": item, "address": address, "date_from": date_from, "date_to": date_to},
			headers=headers,
			timeout=60,
		)
		return answer.json()["message"]["days"] if answer.status_code == 200 else None

	return free_windows(get_days, ITEMS, days)


def wait_for_background_jobs(seconds: int = 300) -> None:
	"""Logging customers in queues Frappe's jobs (a Contact per new User); measure after they ran."""
	deadline = time.monotonic() + seconds
	while bench_execute("frappe.utils.background_jobs.get_jobs") and time.monotonic() < deadline:
		time.sleep(2)
	time.sleep(3)  # the last one dequeued may still be running


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--connections", type=int, default=8)
	parser.add_argument("--calls", type=int, default=400, help="calls per read endpoint")
	parser.add_argument("--creates", type=int, default=60, help="create calls per round")
	parser.add_argument("--rounds", type=int, default=5)
	parser.add_argument(
		"--warmup", type=int, default=16, help="unmeasured calls of each endpoint before the rounds"
	)
	parser.add_argument(
		"--same-customer", action="store_true", help="every connection books as the demo customer"
	)
	args = parser.parse_args()
	admin = Client("Administrator", os.environ.get("HS_ADMIN_PASSWORD", "admin"))
	with (
		WeChatFake() as wechat,
		site_config(
			hs_public_rate_limit=1_000_000,  # one benchmark client is one IP
			hs_wechat_api_base=wechat.url,
			throttle_user_limit=1_000_000,
		),
		hs_settings(admin, wechat_appid=wechat.appid, wechat_secret=wechat.secret),
	):
		if args.same_customer:
			bookers = [None] * args.connections
		else:
			bookers = [wechat_customer(wechat) for _ in range(args.connections)]
			wait_for_background_jobs()
		return measure(args, bookers)


def booker_headers(client, fallback: dict) -> tuple[dict, str | None]:
	"""Headers and serviceable address of one connection's customer (None: the demo customer's)."""
	if client is None:
		return fallback, None
	headers = {"X-Frappe-Site-Name": SITE, "X-HS-Token": client.http.headers["X-HS-Token"]}
	items = ok(client.get("/api/method/home_service.api.customer.addresses.list_addresses"))["items"]
	return headers, items[0]["address"]


def measure(args, bookers: list) -> int:
	token = server_side_token("customer@demo.home")
	headers = {"X-Frappe-Site-Name": SITE, "X-HS-Token": token}
	setup = requests.Session()
	setup.headers.update(headers)
	address = next(
		a["address"]
		for a in ok(setup.get(f"{API}customer.addresses.list_addresses"))["items"]
		if a["serviceable"]
	)
	booking = ok(setup.get(f"{API}customer.bookings.list_bookings", params={"page_size": 1}))["items"][0][
		"booking"
	]
	category = next(
		node["category"]
		for node in ok(setup.get(f"{API}public.categories"))
		if ok(setup.get(f"{API}public.category_items", params={"category": node["category"]}))["items"]
	)
	booking_as = [booker_headers(client, headers) for client in bookers]
	# the windows and their capacity as seen from where the benchmark's customers book
	first_headers, first_address = booking_as[0]
	slots = windows(requests.Session(), first_address or address, headers=first_headers)
	# every round books the same mix of items and days (a fixed shuffle: one window is still asked for
	# no more often than its room), so that the rounds compare and their median means something
	random.Random(7).shuffle(slots)
	print(f"{len(slots)} free windows for {len(ITEMS)} items; warming up …", flush=True)

	def get(path, params=None):
		return (
			lambda s, _: s.get(
				f"{API}{path}" if path != "ping" else f"{BASE_URL}/api/method/ping", params=params, timeout=60
			).status_code
			== 200
		)

	created, refused = [], []

	def create(session, slot):
		(item, start), (as_headers, own_address) = slot
		answer = session.post(
			f"{API}customer.bookings.create_booking",
			headers=as_headers,
			json={
				"items": [{"service_item": item}],
				"address": own_address or address,
				"window_start": start,
				"idempotency_key": f"bench-{uuid.uuid4().hex}",
			},
			timeout=60,
		)
		if answer.status_code == 200:
			created.append((answer.json()["message"]["booking"], as_headers))
		elif answer.status_code == 409:
			refused.append(start)  # the window filled up meanwhile: a right answer, but no booking
		return answer.status_code == 200

	# the machine is shared: measure in rounds that interleave ping with each endpoint and compare
	# every endpoint with the ping of its own round (median of the rounds)
	calls = list(range(args.calls))
	reads = {
		"catalogue list": get("public.category_items", {"category": category, "page_size": 20}),
		"booking detail": get("customer.bookings.get_booking", {"booking": booking}),
	}
	rounds, cpu, spent_by = [], {}, {}
	meter = Meter(urlparse(BASE_URL).port or 80)

	def metered(label, items, send):
		"""loadgen.run, and the machine CPU per successful call by process (summed over rounds)."""
		before = meter.reading()
		result = run(label, items, send, args.connections, headers)
		spent = meter.per_call(before, meter.reading(), result.calls - result.errors)
		for name, ms in spent.items():
			cpu.setdefault(label, {}).setdefault(name, []).append(ms)
		spent_by[id(result)] = sum(spent.values())
		return result

	# no window asked for twice: as many creates per round as there are free windows for
	args.creates = max(args.connections, min(args.creates, (len(slots) - args.warmup) // args.rounds))
	# call i goes out on connection i % connections (loadgen's split): that connection's customer
	slot_list = [
		(slots[i % len(slots)], booking_as[i % args.connections])
		for i in range(args.creates * args.rounds + args.warmup)
	]
	# steady state, as a site serves all day: every gunicorn worker imports and caches what each call
	# needs on its first such call, which would otherwise be charged to the first round only
	for send in (get("ping"), *reads.values()):
		run("warm-up", list(range(args.warmup)), send, args.connections, headers)
	run("warm-up", slot_list[-args.warmup :] if args.warmup else [], create, args.connections, headers)
	refused.clear()  # only the measured creates' refusals are told apart from errors
	# the shared machine's speed drifts within seconds: every endpoint is measured right after a ping
	# run of its own and compared with that one, the pairs repeated in rounds (median of the rounds)
	endpoints = [*reads.items(), ("create booking", create)]
	for r in range(args.rounds):
		share = slot_list[r * args.creates : (r + 1) * args.creates]
		pairs = []
		for label, send in endpoints:
			ping = metered("ping (token)", calls, get("ping"))
			pairs.append((metered(label, share if send is create else calls, send), ping))
		rounds.append(pairs)
	for name, as_headers in created:
		setup.post(
			f"{API}customer.bookings.cancel_booking",
			headers=as_headers,
			json={"booking": name, "reason": "benchmark"},
			timeout=60,
		)

	print(
		f"\nmini-program API benchmark, {args.connections} connections, {args.rounds} rounds of"
		f" {args.calls} calls per read and {args.creates} creates, {BASE_URL} ({SITE}),"
		f" {'one customer' if args.same_customer else 'one customer per connection'}"
	)
	for r, pairs in enumerate(rounds, start=1):
		print(f"round {r}")
		for result, ping in pairs:
			for shown, baseline in ((ping, None), (result, ping)):
				print(f"  {shown.line(baseline)}  CPU {spent_by[id(shown)]:5.1f} ms/call")
	labels = ["ping (token)", *(label for label, _send in endpoints)]
	# a refused create (409) is cheaper than a booking: count bookings made, not answers
	ratio = {"ping (token)": 1.0} | {
		label: statistics.median(
			pair[i][0].rate * (pair[i][0].calls - pair[i][0].errors) / pair[i][0].calls / pair[i][1].rate
			for pair in rounds
		)
		for i, (label, _send) in enumerate(endpoints)
	}
	runs = {label: [] for label in labels}
	for pairs in rounds:
		for result, ping in pairs:
			runs[result.label].append(result)
			runs[ping.label].append(ping)
	p99 = {label: statistics.median(r.p99_ms for r in runs[label]) for label in labels}
	errors = sum(r.errors for label in labels for r in runs[label]) - len(refused)
	print("\nmedian over rounds:")
	for label in labels:
		print(f"  {label:<20} {ratio[label]:6.1%} of ping (successes)   p99 {p99[label]:7.1f} ms")
	print("\nmachine CPU per successful call, by process (median over rounds, ms):")
	for label in labels:
		parts = {name: statistics.median(values) for name, values in cpu[label].items()}
		shown = "  ".join(f"{name} {ms:5.1f}" for name, ms in sorted(parts.items()))
		print(f"  {label:<20} {shown}   total {sum(parts.values()):5.1f}")
	checks = [
		("catalogue list >= 50% of ping", ratio["catalogue list"] >= 0.5),
		("booking detail >= 50% of ping", ratio["booking detail"] >= 0.5),
		("create booking >= 20% of ping", ratio["create booking"] >= 0.2),
		("p99 < 250 ms everywhere", all(value < 250 for value in p99.values())),
		("no errors (409 no capacity aside)", errors == 0),
	]
	print(
		f"\ncreated and cancelled again: {len(created)} bookings ({len(refused)} refused with 409, the window"
		f" full); load average {os.getloadavg()[0]:.2f}"
	)
	for label, passed in checks:
		print(f"  {'met' if passed else 'NOT met'}: {label}")
	return 0


if __name__ == "__main__":
	sys.exit(main())
