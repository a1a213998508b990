"""End to end over real HTTP (gunicorn + RQ worker): a customer and a technician take a booking from
login to review — WeChat login, address, slots, quote, booking, WeChat Pay, webhook, dispatch by the
worker, technician SMS login, accept, depart, arrive, start, photo, complete, confirm, review."""

import io
import json
import uuid

import requests
from conftest import ITEM, next_windows
from fakes.site import SITE
from hs_client import BASE_URL, TokenClient, png
from mini_program import API, ok, wait_for


def technician_login(world, phone: str) -> TokenClient:
	headers = {"X-Frappe-Site-Name": SITE}
	sent = requests.post(
		f"{BASE_URL}{API}auth.sms_send_code", json={"phone": phone}, headers=headers, timeout=60
	)
	assert sent.status_code == 200, sent.text
	code = world.sms.last_code(phone)
	reply = requests.post(
		f"{BASE_URL}{API}auth.sms_login",
		json={"phone": phone, "code": code, "as_technician": True},
		headers=headers,
		timeout=60,
	)
	return TokenClient(ok(reply)["token"])


def test_customer_and_technician_from_login_to_review(world, admin):
	customer = world.customer()
	address = ok(customer.get(f"{API}customer.addresses.list_addresses"))["items"][0]["address"]
	window = next_windows(customer, address)[0]
	lines = [{"service_item": ITEM, "quantity": 1}]
	quote = ok(
		customer.call(
			"home_service.api.customer.bookings.get_quote", items=lines, address=address, window_start=window
		)
	)
	created = ok(
		customer.call(
			"home_service.api.customer.bookings.create_booking",
			items=lines,
			address=address,
			window_start=window,
			idempotency_key=f"e2e-{uuid.uuid4().hex}",
		)
	)
	booking = created["booking"]
	assert created["grand_total"] == quote["grand_total"]

	pay = ok(customer.call("home_service.api.customer.payments.pay", booking=booking))
	assert (
		ok(customer.call("home_service.api.customer.payments.confirm", booking=booking))["payment_status"]
		== "Unpaid"
	)
	assert world.notify(*world.pay.paid_notification(pay["out_trade_no"])).status_code == 204

	def pending_offer():
		rows = admin.get(
			"/api/resource/HS Dispatch Offer",
			filters=json.dumps([["booking", "=", booking], ["status", "=", "Pending"]]),
			fields=json.dumps(["name", "technician"]),
		).json()["data"]
		return rows[0] if rows else None

	offer = wait_for(pending_offer)  # the RQ worker ran the dispatch rules
	phone = admin.get(f"/api/resource/HS Technician/{offer['technician']}").json()["data"]["mobile_no"]
	technician = technician_login(world, phone)
	tech = "home_service.api.technician."
	offers = ok(technician.get(f"{API}technician.offers.list_offers"))
	assert offer["name"] in json.dumps(offers)
	ok(technician.call(tech + "offers.accept_offer", offer=offer["name"]))
	job = ok(technician.get(f"{API}technician.jobs.job_detail", booking=booking))
	lat, lng = job["address"]["latitude"], job["address"]["longitude"]
	ok(technician.call(tech + "jobs.depart", booking=booking))
	ok(technician.call(tech + "jobs.arrive", booking=booking, latitude=lat, longitude=lng))
	ok(technician.call(tech + "jobs.start_service", booking=booking))
	uploaded = technician.post(
		f"{API}technician.jobs.upload_photo",
		data={"booking": booking},
		files={"file": ("after.png", io.BytesIO(png()), "image/png")},
	)
	url = ok(uploaded)["file_url"]
	done = ok(
		technician.call(
			tech + "jobs.complete",
			booking=booking,
			photos=[{"file_url": url, "stage": "After"}],
			notes="已完成",
		)
	)
	assert done["status"] == "Awaiting Confirmation"

	assert (
		ok(customer.call("home_service.api.customer.bookings.confirm_completion", booking=booking))["status"]
		== "Completed"
	)
	review = ok(
		customer.call(
			"home_service.api.customer.reviews.submit_review", booking=booking, rating=5, content="师傅很专业"
		)
	)
	assert review["rating"] == 5
	detail = ok(customer.get(f"{API}customer.bookings.get_booking", booking=booking))
	assert (detail["status"], detail["payment_status"]) == ("Completed", "Paid")
	assert detail["technician"]["phone"]  # shown once the job is theirs
	entries = admin.get(
		"/api/resource/HS Ledger Entry",
		filters=json.dumps([["booking", "=", booking]]),
		fields=json.dumps(["account", "amount_fen"]),
		limit_page_length=100,
	).json()["data"]
	assert sum(e["amount_fen"] for e in entries) == 0
	prepaid = sum(e["amount_fen"] for e in entries if e["account"] == "Customer Prepaid")
	assert prepaid == 0  # completion moved the prepaid amount to the technician and the platform
