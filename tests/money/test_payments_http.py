"""Paying over real HTTP: the mini-program's pay call under a double tap, webhooks through gunicorn
(raw body, signature, replay), cancel-and-refund raced by ten taps (security plan 8–18 over HTTP)."""

import json
from concurrent.futures import ThreadPoolExecutor

from conftest import book
from fakes import new_keypair
from hs_client import TokenClient
from mini_program import API, ok, wait_for

PAY = "home_service.api.customer.payments.pay"


def rows(admin, doctype: str, booking: str, fields=("name",)) -> list[dict]:
	response = admin.get(
		f"/api/resource/{doctype}",
		filters=json.dumps([["booking", "=", booking]]),
		fields=json.dumps(list(fields)),
		limit_page_length=100,
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


def booking_of(client, name: str) -> dict:
	return ok(client.get(f"{API}customer.bookings.get_booking", booking=name))


def test_double_tap_pay_opens_one_order(world):
	customer = world.customer()
	booking = book(customer)["booking"]
	token = customer.http.headers["X-HS-Token"]
	before = world.pay.counts["orders"]
	with ThreadPoolExecutor(20) as pool:  # security case 15: 20 concurrent taps
		answers = list(pool.map(lambda _: TokenClient(token).call(PAY, booking=booking), range(20)))
	assert [a.status_code for a in answers] == [200] * 20, [a.text for a in answers if a.status_code != 200]
	bodies = {json.dumps(a.json()["message"], sort_keys=True) for a in answers}
	assert len(bodies) == 1  # the same order and the same signed parameters for every tap
	assert world.pay.counts["orders"] == before + 1
	params = answers[0].json()["message"]
	assert set(params) >= {"appId", "timeStamp", "nonceStr", "package", "signType", "paySign"}


def test_webhook_over_http_is_verified_applied_once_and_replays_are_harmless(world, admin):
	customer = world.customer()
	booking = book(customer)["booking"]
	params = ok(customer.call(PAY, booking=booking))
	paid = world.pay.user_pays(params["out_trade_no"])
	forged = world.pay.notification("TRANSACTION.SUCCESS", paid, sign_with=new_keypair())
	stale = world.pay.notification("TRANSACTION.SUCCESS", paid, age_seconds=600)
	tampered = world.pay.notification(
		"TRANSACTION.SUCCESS", {**paid, "amount": {"total": 1, "currency": "CNY"}}
	)
	for headers, body in (forged, stale):
		answer = world.notify(headers, body)
		assert answer.status_code == 400 and answer.json()["code"] == "FAIL"
	assert world.notify(*tampered).status_code == 400  # signed, but not what we asked for
	assert booking_of(customer, booking)["payment_status"] == "Unpaid"

	headers, body = world.pay.notification("TRANSACTION.SUCCESS", paid)
	reencoded = json.dumps(json.loads(body), indent=1).encode()
	assert world.notify(headers, reencoded).status_code == 400  # the raw bytes are what is signed
	assert world.notify(headers, body).status_code == 204
	assert world.notify(headers, body).status_code == 204  # WeChat's resend: success, no effect
	detail = booking_of(customer, booking)
	assert detail["payment_status"] == "Paid" and detail["status"] != "Pending Payment"
	entries = rows(admin, "HS Ledger Entry", booking, ("amount_fen", "posting_key"))
	assert len(entries) == 2 and sum(e["amount_fen"] for e in entries) == 0


def test_ten_cancel_taps_refund_once(world, admin):
	customer = world.customer()
	booking = book(customer)["booking"]
	params = ok(customer.call(PAY, booking=booking))
	assert world.notify(*world.pay.paid_notification(params["out_trade_no"])).status_code == 204
	refunds_before = world.pay.counts["refunds"]
	token = customer.http.headers["X-HS-Token"]
	cancel = "home_service.api.customer.bookings.cancel_booking"
	with ThreadPoolExecutor(10) as pool:  # security case 18
		answers = list(pool.map(lambda _: TokenClient(token).call(cancel, booking=booking), range(10)))
	codes = sorted(a.status_code for a in answers)
	assert all(code in (200, 409) for code in codes), codes  # a repeat answers the same, or "closed"
	events = rows(admin, "HS Booking Event", booking, ("to_status",))
	assert [e["to_status"] for e in events].count("Cancelled") == 1
	refunds = rows(admin, "HS Refund", booking, ("out_refund_no", "status", "amount_fen"))
	assert len(refunds) == 1
	done = wait_for(lambda: booking_of(customer, booking)["payment_status"] == "Refunded")
	assert done
	# WeChat Pay was asked for one refund, once, of what was paid, for this order and no other
	no = refunds[0]["out_refund_no"]
	assert world.pay.calls[f"refund:{no}"] == 1
	assert world.pay.counts["refunds"] == refunds_before + 1
	of_this_order = [r for r in world.pay.refunds.values() if r["out_trade_no"] == params["out_trade_no"]]
	assert [r["out_refund_no"] for r in of_this_order] == [no]
	assert of_this_order[0]["amount"]["refund"] == refunds[0]["amount_fen"]
	assert booking_of(customer, booking)["status"] == "Refunded"
	entries = rows(admin, "HS Ledger Entry", booking, ("amount_fen",))
	assert sum(e["amount_fen"] for e in entries) == 0 and len(entries) == 4
