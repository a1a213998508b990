"""CPU per request inside Frappe's WSGI app, in one process, as ratios to ping measured in the same run:
ping and create booking with the mini-program's token, and ping and the smallest document insert Frappe
has (a ToDo through /api/resource) with an API key — the floor any document-creating call stands on.

	cd sites && ../env/bin/python ../tests/load/bench_request_cpu.py [--calls 200] [--creates 60]

Run it as the bench user against a site with the demo city. It counts this process's CPU time only
(MariaDB and Redis are not in it) and needs no server: requests go through `frappe.app.application`
with werkzeug's test client, so each one starts with Frappe's per-request caches cold, as in gunicorn.
Everything it makes (a staff user, ToDos, bookings) is removed or cancelled at the end.
"""

import argparse
import json
import os
import resource
import sys
import uuid

from werkzeug.test import Client

import frappe
import frappe.app

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slots import free_windows

API = "/api/method/home_service.api."
# one item: its windows' capacity is then exactly what this script may book (no other item shares it)
ITEMS = ("KITCHEN-CLEAN-02",)
STAFF = "bench-request-cpu@example.com"


def cpu_ms() -> float:
	usage = resource.getrusage(resource.RUSAGE_SELF)
	return (usage.ru_utime + usage.ru_stime) * 1000


def per_call(fn, calls: int, warmup: int = 5) -> float:
	for _ in range(warmup):
		fn()
	start = cpu_ms()
	for _ in range(calls):
		fn()
	return (cpu_ms() - start) / calls


def setup(site: str) -> tuple[str, str]:
	"""A mini-program token for the demo customer and an API key for a throwaway System Manager."""
	frappe.init(site=site)
	frappe.connect()
	try:
		from home_service.access.tokens import issue_token

		token = issue_token(user="customer@demo.home", client="WeChat Mini Program")["token"]
		if not frappe.db.exists("User", STAFF):
			frappe.get_doc(
				{"doctype": "User", "email": STAFF, "first_name": "Bench", "send_welcome_email": 0}
			).insert(ignore_permissions=True)
		user = frappe.get_doc("User", STAFF)
		user.add_roles("System Manager")
		secret = frappe.generate_hash(length=15)
		user.api_key, user.api_secret = user.api_key or frappe.generate_hash(length=15), secret
		user.save(ignore_permissions=True)
		frappe.db.commit()
		return token, f"token {user.api_key}:{secret}"
	finally:
		frappe.destroy()


def teardown(site: str, todos: list[str]) -> None:
	frappe.init(site=site)
	frappe.connect()
	try:
		if todos:
			frappe.db.delete("ToDo", {"name": ("in", todos)})
		frappe.delete_doc("User", STAFF, ignore_permissions=True, force=True)
		frappe.db.commit()
	finally:
		frappe.destroy()


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", default=os.environ.get("HS_SITE", "test.localhost"))
	parser.add_argument("--calls", type=int, default=200)
	parser.add_argument("--creates", type=int, default=60)
	args = parser.parse_args()
	token, api_key = setup(args.site)
	client = Client(frappe.app.application)
	as_customer = {"Host": args.site, "X-HS-Token": token}
	as_staff = {"Host": args.site, "Authorization": api_key}

	def call(method: str, path: str, headers: dict, **kw):
		answer = client.open(path, method=method, headers=headers, **kw)
		assert answer.status_code == 200, (path, answer.status_code, answer.get_data(as_text=True)[:300])
		return json.loads(answer.get_data())

	address = next(
		a["address"]
		for a in call("GET", f"{API}customer.addresses.list_addresses", as_customer)["message"]["items"]
		if a["serviceable"]
	)
	windows = free_windows(
		lambda item, date_from, date_to: call(
			"GET",
			f"{API}customer.bookings.get_slots",
			as_customer,
			query_string={"item": item, "address": address, "date_from": date_from, "date_to": date_to},
		)["message"]["days"],
		ITEMS,
	)
	needed = args.creates + 5
	assert len(windows) >= needed, f"only {len(windows)} free windows for {needed} creates"
	todos, bookings, next_window = [], [], iter(windows)

	def create_booking():
		item, start = next(next_window)
		body = {
			"items": [{"service_item": item}],
			"address": address,
			"window_start": start,
			"idempotency_key": f"cpu-{uuid.uuid4().hex}",
		}
		bookings.append(
			call("POST", f"{API}customer.bookings.create_booking", as_customer, json=body)["message"][
				"booking"
			]
		)

	def insert_todo():
		todos.append(
			call("POST", "/api/resource/ToDo", as_staff, json={"description": "cpu floor"})["data"]["name"]
		)

	try:
		figures = {
			"ping (mini-program token)": per_call(
				lambda: call("GET", "/api/method/ping", as_customer), args.calls
			),
			"create booking (token)": per_call(create_booking, args.creates),
			"ping (API key)": per_call(lambda: call("GET", "/api/method/ping", as_staff), args.calls),
			"insert ToDo (API key)": per_call(insert_todo, args.calls),
		}
	finally:
		for name in bookings:
			call(
				"POST",
				f"{API}customer.bookings.cancel_booking",
				as_customer,
				json={"booking": name, "reason": "benchmark"},
			)
		teardown(args.site, todos)
	print(f"CPU per request in one process (site {args.site}); ratio = ping's CPU / the call's CPU")
	for label, ms in figures.items():
		ping = figures["ping (mini-program token)" if "token" in label else "ping (API key)"]
		print(f"  {label:28s} {ms:7.2f} ms   {100 * ping / ms:5.1f}% of ping")


if __name__ == "__main__":
	main()
