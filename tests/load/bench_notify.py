"""Webhook benchmark: 1,000 distinct and 1,000 duplicate signed WeChat Pay notifications through HTTP
against a running site, as rates relative to `ping` measured in the same run, then proof that nothing
was credited twice (payments paid once, one ledger posting each, the ledger sums to zero).

	.tools/bin/python tests/load/bench_notify.py [--count 1000] [--connections 8]

Needs the site running (bench start, or gunicorn as bench-config/test.sh starts it) and HS_BASE_URL /
HS_SITE when not the defaults. Notifications are signed with a fake WeChat Pay key pair installed in
HS Payment Settings for the run; the benchmark's bookings are removed afterwards.
"""

import argparse
import os
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakes import WeChatPayFake
from fakes.site import SITE, hs_settings
from hs_client import BASE_URL, Client, bench_execute
from loadgen import run

NOTIFY = f"{BASE_URL}/api/method/home_service.api.notify.wechatpay"


def main() -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--count", type=int, default=1000)
	parser.add_argument("--connections", type=int, default=8)
	args = parser.parse_args()
	fake = WeChatPayFake()  # its keys only: the site never calls it during this run
	admin = Client("Administrator", os.environ.get("HS_ADMIN_PASSWORD", "admin"))
	site = {"X-Frappe-Site-Name": SITE}
	run_id = uuid.uuid4().hex[:8]
	with hs_settings(admin, "HS Payment Settings", **fake.settings()):
		print(f"preparing {args.count} unpaid bookings with open orders …", flush=True)
		data = bench_execute("home_service.benchmarks.notify_setup.prepare", run_id=run_id, count=args.count)
		try:
			paid = [
				fake.paid_transaction(o["out_trade_no"], o["amount_fen"], o["openid"]) for o in data["orders"]
			]
			ids = [uuid.uuid4().hex for _ in paid]

			failures = []

			def post(session, item):
				# signed when sent, as WeChat does (a resend gets a fresh timestamp, the same id)
				transaction, notification_id = item
				headers, body = fake.notification(
					"TRANSACTION.SUCCESS", transaction, notification_id=notification_id
				)
				answer = session.post(NOTIFY, data=body, headers=headers, timeout=60)
				if answer.status_code != 204:
					failures.append(f"HTTP {answer.status_code}: {answer.text[:200]}")
				return answer.status_code == 204

			ping = run(
				"ping",
				list(range(args.count)),
				lambda s, _: s.get(f"{BASE_URL}/api/method/ping", timeout=60).status_code == 200,
				args.connections,
				site,
			)
			notifications = list(zip(paid, ids, strict=True))
			first = run("distinct notifications", notifications, post, args.connections, site)
			second = run("duplicate notifications", notifications, post, args.connections, site)
			outcome = bench_execute("home_service.benchmarks.notify_setup.verify", run=data["run"])
		finally:
			bench_execute("home_service.benchmarks.notify_setup.remove", run=data["run"])
	print(f"\nwebhook benchmark, {args.connections} connections, {BASE_URL} ({SITE})")
	for result in (ping, first, second):
		print(result.line(ping))
	for failure in failures[:5]:
		print("  failed:", failure)
	print(
		f"\nbookings {outcome['bookings']}, paid once {outcome['paid_payments']}, credited twice"
		f" {outcome['credited_twice']}, applied notifications {outcome['applied_notifications']},"
		f" ledger postings {outcome['ledger_postings']},"
		f" ledger sum {outcome['ledger_sum_fen']} fen"
	)
	sound = (
		outcome["paid_payments"] == args.count
		and outcome["credited_twice"] == 0
		and outcome["applied_notifications"] == args.count
		and outcome["ledger_postings"] == args.count
		and outcome["ledger_sum_fen"] == 0
		and first.errors == 0
		and second.errors == 0
	)
	print("zero double credits: " + ("yes" if sound else "NO"))
	return 0 if sound else 1


if __name__ == "__main__":
	sys.exit(main())
