"""Time-based dispatch proven end to end: Frappe's real scheduler process enqueues the minute jobs,
the real RQ worker runs them, and nothing calls a job function directly.

A customer books over HTTP under a Broadcast dispatch rule with a 60-second offer timeout and pays
through the WeChat Pay fake; the worker dispatches the booking (round 1 offers). Nobody answers. The
scheduler ticks every 60 s (Frappe's default scheduler_tick_interval) and enqueues dispatch's minute
job (`jobs.expire_offers_and_redrive`), so each offer must be closed as Expired at most a tick after
its deadline, and the booking moved to round 2 or to the dispatchers' queue: within the timeout plus
one minute, plus GRACE seconds for the tick's own work and the worker running what that tick
enqueued before it (server clocks only). The scheduler starts before the booking is made, so its
first tick, which enqueues every job due since the site last ran them, comes before the deadline. The Scheduled Job Log must show the job ran from the
scheduler: before the fix Frappe kept one Scheduled Job Type for dispatch's and billing's
`jobs.every_minute`, and offers never expired on a real site while the tests that called the job
functions directly all passed.

Processes: the RQ worker is the one bench-config/test.sh starts (Frappe's worker on the short,
default and long queues); this test starts `frappe schedule` (what `bench schedule` runs) in a bench view
that lists the test site alone (scheduler_process.py), so the operator's site is never touched, and
stops it in every case (the kernel kills it if pytest itself dies). The test site's scheduler is
switched on in System Settings for the test and put back afterwards; maintenance mode or a paused
scheduler fail the test with that reason. Takes about 2.5 minutes.
"""

import json
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from fakes.site import ROOT, SITE, hs_settings, site_config_path
from mini_program import API, ok, post_webhook, wait_for, wechat_customer, wechat_login_and_pay
from scheduler_process import log_tail, scheduler_for
from windows import free_windows

ITEM = "KITCHEN-CLEAN-02"  # fixed price, many technicians in the demo city
OFFER_TIMEOUT = 60  # seconds: ends after the scheduler's first tick (see the docstring)
TICK = 60  # Frappe's scheduler_tick_interval when the bench sets none
GRACE = 20  # the tick's own work, and the worker running what it enqueued before this job
DISPATCH_JOB = "jobs.expire_offers_and_redrive"


def resource(admin, doctype: str, name: str | None = None, **params):
	path = f"/api/resource/{doctype}" + (f"/{name}" if name else "")
	params = {key: json.dumps(value) for key, value in params.items()}
	response = admin.get(path, limit_page_length=100, **params)
	assert response.status_code == 200, response.text
	return response.json()["data"]


def when(value: str) -> datetime:
	return datetime.fromisoformat(value)


@pytest.fixture
def paying_customer(admin):
	"""A mini-program customer (WeChat login, a serviceable address) and the WeChat Pay fake."""
	with wechat_login_and_pay(admin) as (login, pay):
		yield wechat_customer(login), pay


@pytest.fixture
def broadcast_rule(admin):
	"""An administrator's rule for the item's category, ahead of every other: offers to two
	technicians at a time for OFFER_TIMEOUT seconds, two rounds, then the dispatchers' queue."""
	category = resource(admin, "HS Service Item", ITEM)["category"]
	response = admin.post(
		"/api/resource/HS Dispatch Rule",
		json={
			"rule_name": f"E2E scheduler {uuid.uuid4().hex[:8]}",
			"priority": 100000,
			"strategy": "Broadcast",
			"category": category,
			"offer_timeout_seconds": OFFER_TIMEOUT,
			"broadcast_size": 2,
			"max_rounds": 2,
		},
	)
	assert response.status_code == 200, response.text
	name = response.json()["data"]["name"]
	yield name
	# switched off, as an administrator would: offers and decisions link to it, so it stays
	response = admin.put(f"/api/resource/HS Dispatch Rule/{name}", json={"enabled": 0})
	assert response.status_code == 200, response.text


@pytest.fixture
def scheduler_enabled(admin):
	"""The test site's scheduler on (System Settings), as the operator's site has it; put back after."""
	conf = json.loads((ROOT / "sites" / "common_site_config.json").read_text())
	conf |= json.loads(site_config_path().read_text())  # a site's own value wins, as in Frappe
	for key in ("maintenance_mode", "pause_scheduler", "disable_scheduler"):
		assert not conf.get(key), f"{SITE} has {key} set: Frappe's scheduler would enqueue nothing"
	with hs_settings(admin, "System Settings", enable_scheduler=1):
		yield


def test_offers_expire_and_the_booking_moves_on_under_the_real_scheduler(
	admin, paying_customer, broadcast_rule, scheduler_enabled, tmp_path: Path
):
	customer, pay = paying_customer
	address = ok(customer.get(f"{API}customer.addresses.list_addresses"))["items"][0]["address"]
	window = free_windows(customer, ITEM, address)[0]
	log = tmp_path / "scheduler.log"
	with scheduler_for(ROOT, SITE, log) as scheduler:
		booking = ok(
			customer.call(
				"home_service.api.customer.bookings.create_booking",
				items=[{"service_item": ITEM, "quantity": 1}],
				address=address,
				window_start=window,
				idempotency_key=f"pytest-{uuid.uuid4().hex}",
			)
		)["booking"]
		params = ok(customer.call("home_service.api.customer.payments.pay", booking=booking))
		assert post_webhook(*pay.paid_notification(params["out_trade_no"])).status_code == 204

		def offers(round_no: int):
			return resource(
				admin,
				"HS Dispatch Offer",
				filters=[["booking", "=", booking], ["round", "=", round_no]],
				fields=["name", "status", "dispatch_rule", "offered_on", "expires_on", "responded_on"],
			)

		round_one = wait_for(lambda: offers(1), 60)  # the worker dispatches the paid booking
		assert {o["dispatch_rule"] for o in round_one} == {broadcast_rule}
		assert {o["status"] for o in round_one} == {"Pending"}

		def moved_on():
			assert scheduler.poll() is None, log_tail(log)
			doc = resource(admin, "HS Booking", booking)
			next_round = doc["status"] == "Offered" and doc["dispatch_round"] >= 2
			queued = doc["status"] == "Pending Dispatch" and doc["needs_manual_dispatch"]
			return doc if next_round or queued else None

		moved = wait_for(moved_on, OFFER_TIMEOUT + TICK + GRACE + 30)

	closed = offers(1)
	assert {o["status"] for o in closed} == {"Expired"}, closed
	for offer in closed:  # server clocks only: how long after its deadline each offer was closed
		late = (when(offer["responded_on"]) - when(offer["expires_on"])).total_seconds()
		assert 0 <= late <= TICK + GRACE, (offer, late)
	if moved["needs_manual_dispatch"]:
		assert moved["status"] == "Pending Dispatch"
	else:
		assert [o["status"] for o in offers(2)] and moved["dispatch_round"] == 2
	# the scheduler's run of the job is logged; it is marked Complete just after the job commits
	runs = [["scheduled_job_type", "=", DISPATCH_JOB], ["creation", ">=", round_one[0]["offered_on"]]]
	assert resource(admin, "Scheduled Job Log", filters=runs), "the scheduler never ran dispatch's job"
	wait_for(lambda: resource(admin, "Scheduled Job Log", filters=[*runs, ["status", "=", "Complete"]]), 30)
