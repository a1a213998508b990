"""Mini-program API benchmark against a running site with the demo city, on loopback, in one run:
throughput and p50/p99 of `ping` sent with the mini-program's token (the framework's floor), the
catalogue list, booking detail and create booking, each as a ratio to that ping.

	.tools/bin/python tests/load/bench_api.py [--connections 8] [--calls 400] [--creates 160]

Targets (issue): at 8 connections, reads at least 50 % of ping, create booking at least 20 %, p99
under 250 ms. Bookings the run creates are cancelled at the end.
"""

import argparse
import os
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hs_client import BASE_URL, server_side_token
from loadgen import run

SITE = os.environ.get("HS_SITE", "home.localhost")
API = f"{BASE_URL}/api/method/home_service.api."
ITEMS = ("KITCHEN-CLEAN-02", "AC-CLEAN-01", "CLEAN-DAILY-01")


def ok(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


def windows(session, address: str, days: int = 14) -> list[tuple[str, str]]:
	"""(item, window start) pairs with free capacity over the next `days` days."""
	found = []
	start = date.today() + timedelta(days=1)
	for item in ITEMS:
		answer = session.get(
			f"{API}customer.bookings.get_slots",
			params={
				"item": item,
				"address": address,
				"date_from": str(start),
				"date_to": str(start + timedelta(days=days - 1)),
			},
			timeout=60,
		)
		if answer.status_code != 200:
			continue
		found += [
			(item, w["start"])
			for d in answer.json()["message"]["days"]
			for w in d["windows"]
			if w["available"]
		]
	return found


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--connections", type=int, default=8)
	parser.add_argument("--calls", type=int, default=400, help="calls per read endpoint")
	parser.add_argument("--creates", type=int, default=160)
	args = parser.parse_args()
	import requests

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
	slots = windows(setup, address)
	print(f"{len(slots)} free windows for {len(ITEMS)} items; warming up …", flush=True)
	for _ in range(20):
		setup.get(f"{BASE_URL}/api/method/ping")

	def get(path, params=None):
		return (
			lambda s, _: s.get(
				f"{API}{path}" if path != "ping" else f"{BASE_URL}/api/method/ping", params=params, timeout=60
			).status_code
			== 200
		)

	created = []

	def create(session, slot):
		item, start = slot
		answer = session.post(
			f"{API}customer.bookings.create_booking",
			json={
				"items": [{"service_item": item}],
				"address": address,
				"window_start": start,
				"idempotency_key": f"bench-{uuid.uuid4().hex}",
			},
			timeout=60,
		)
		if answer.status_code == 200:
			created.append(answer.json()["message"]["booking"])
		return answer.status_code == 200

	calls = list(range(args.calls))
	ping = run("ping (token)", calls, get("ping"), args.connections, headers)
	catalogue = run(
		"catalogue list",
		calls,
		get("public.category_items", {"category": category, "page_size": 20}),
		args.connections,
		headers,
	)
	detail = run(
		"booking detail",
		calls,
		get("customer.bookings.get_booking", {"booking": booking}),
		args.connections,
		headers,
	)
	creates = run(
		"create booking",
		[slots[i % len(slots)] for i in range(args.creates)],
		create,
		args.connections,
		headers,
	)
	for name in created:
		setup.post(
			f"{API}customer.bookings.cancel_booking",
			json={"booking": name, "reason": "benchmark"},
			timeout=60,
		)

	print(f"\nmini-program API benchmark, {args.connections} connections, {BASE_URL} ({SITE})")
	for result in (ping, catalogue, detail, creates):
		print(result.line(ping))
	checks = [
		("catalogue list >= 50% of ping", catalogue.rate >= 0.5 * ping.rate),
		("booking detail >= 50% of ping", detail.rate >= 0.5 * ping.rate),
		("create booking >= 20% of ping", creates.rate >= 0.2 * ping.rate),
		("p99 < 250 ms everywhere", all(r.p99_ms < 250 for r in (ping, catalogue, detail, creates))),
		("no errors", not any(r.errors for r in (ping, catalogue, detail, creates))),
	]
	print(f"\ncreated and cancelled again: {len(created)} bookings; load average {os.getloadavg()[0]:.2f}")
	for label, passed in checks:
		print(f"  {'met' if passed else 'NOT met'}: {label}")
	return 0


if __name__ == "__main__":
	sys.exit(main())
