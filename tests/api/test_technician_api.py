"""The technician mini-program API over HTTP, as the demo technician (tech@demo.home).

Fresh offers are staged on the running site with `bench --site $HS_SITE execute
home_service.tests.technician_fixtures.stage_offers` (paid bookings 30+ days ahead in the demo
technician's area, offered by hand), so the suite can run again and again against the demo city.
"""

import io
import json
import os
import secrets
import subprocess
from pathlib import Path

import pytest
from hs_client import Client, png

ROOT = Path(os.environ.get("ROOT") or Path(__file__).resolve().parents[2])
SITE = os.environ.get("HS_SITE", "test.localhost")
API = "home_service.api.technician"
TECH = "tech@demo.home"


def stage_offers(count: int = 1) -> dict:
	result = subprocess.run(
		[
			str(ROOT / "bench-config" / "bench"),
			"--site",
			SITE,
			"execute",
			"home_service.tests.technician_fixtures.stage_offers",
			"--kwargs",
			repr({"user": TECH, "count": count}),
		],
		cwd=ROOT,
		capture_output=True,
		text=True,
		timeout=300,
		check=False,
	)
	lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
	assert result.returncode == 0 and lines, result.stderr[-2000:]
	return json.loads(lines[-1])


def call(client: Client, method: str, **data):
	return client.post(f"/api/method/{API}.{method}", json=data)


def read(client: Client, method: str, **params):
	return client.get(f"/api/method/{API}.{method}", **params)


def error_of(response) -> dict:
	body = response.json()
	assert set(body) == {"error"}, body
	assert {"code", "message", "type"} <= set(body["error"]), body
	return body["error"]


@pytest.fixture(scope="module")
def staged():
	return stage_offers(count=1)


@pytest.fixture(scope="module")
def booking_of(ops):
	def get(name: str) -> dict:
		response = ops.get(f"/api/resource/HS Booking/{name}")
		assert response.status_code == 200, response.text
		return response.json()["data"]

	return get


# --- the whole job ---------------------------------------------------------------------------------
def test_offer_to_completion(demo_technician, staged, booking_of):
	offer, booking = staged["offers"][0]["offer"], staged["offers"][0]["booking"]
	lat, lng = staged["offers"][0]["latitude"], staged["offers"][0]["longitude"]
	before = booking_of(booking)

	listed = read(demo_technician, "offers.list_offers")
	assert listed.status_code == 200, listed.text
	row = next(r for r in listed.json()["message"]["items"] if r["offer"] == offer)
	assert row["booking"] == booking and row["items"] and row["district"]
	assert before["contact_phone"] not in listed.text and "contact" not in row and "address" not in row

	accepted = call(demo_technician, "offers.accept_offer", offer=offer)
	assert accepted.status_code == 200, accepted.text
	assert accepted.json()["message"]["status"] == "Assigned"
	card = read(demo_technician, "jobs.job_detail", booking=booking).json()["message"]
	assert card["contact"]["phone"] == before["contact_phone"]
	assert card["address"]["display"] == before["address_display"]

	assert call(demo_technician, "jobs.depart", booking=booking).json()["message"]["status"] == "On The Way"

	first = call(demo_technician, "availability.update_location", latitude=lat + 0.01, longitude=lng)
	assert first.status_code in (200, 429), first.text
	second = call(demo_technician, "availability.update_location", latitude=lat + 0.01, longitude=lng)
	assert second.status_code == 429 and error_of(second)["code"] == "RATE_LIMITED"

	far = call(demo_technician, "jobs.arrive", booking=booking, latitude=lat + 0.05, longitude=lng)
	assert far.status_code == 422, far.text
	assert error_of(far)["code"] == "CHECK_IN_TOO_FAR"
	assert booking_of(booking)["status"] == "On The Way"
	near = call(demo_technician, "jobs.arrive", booking=booking, latitude=lat + 0.0005, longitude=lng)
	assert near.status_code == 200, near.text
	assert near.json()["message"]["status"] == "Arrived"

	started = call(demo_technician, "jobs.start_service", booking=booking)
	assert started.json()["message"]["status"] == "In Service"

	extra = call(
		demo_technician,
		"jobs.propose_extra_charges",
		booking=booking,
		lines=[{"description": "更换配件", "amount": "30", "status": "Approved", "decided_on": "2020-01-01"}],
		status="Completed",
		technician="HS-TC-99999",
		grand_total=1,
	)
	assert extra.status_code == 200, extra.text
	assert [(c["amount"], c["status"]) for c in extra.json()["message"]["extra_charges"]] == [
		("30.00", "Proposed")
	]

	uploaded = demo_technician.post(
		f"/api/method/{API}.jobs.upload_photo",
		data={"booking": booking},
		files={"file": ("after.png", io.BytesIO(png()), "image/png")},
	)
	assert uploaded.status_code == 200, uploaded.text
	url = uploaded.json()["message"]["file_url"]
	assert url.startswith("/private/files/")

	missing = call(demo_technician, "jobs.complete", booking=booking, photos=[], notes="完成")
	assert missing.status_code == 422
	done = call(
		demo_technician,
		"jobs.complete",
		booking=booking,
		photos=[{"file_url": url, "stage": "After"}],
		notes="已完成，请验收",
	)
	assert done.status_code == 200, done.text
	assert done.json()["message"]["status"] == "Awaiting Confirmation"

	after = booking_of(booking)
	assert after["status"] == "Awaiting Confirmation"
	assert after["technician"] == staged["technician"]
	assert after["grand_total"] == before["grand_total"] and after["extra_total"] == 0
	assert [p["image"] for p in after["photos"]] == [url]
	assert [e["status"] for e in after["extra_charges"]] == ["Proposed"]


# --- scope ------------------------------------------------------------------------------------------
def test_another_technicians_booking_and_offer_are_not_found(demo_technician, staged, ops, booking_of):
	rows = ops.get(
		"/api/resource/HS Booking",
		fields=json.dumps(["name", "contact_phone"]),
		filters=json.dumps(
			[
				["technician", "!=", staged["technician"]],
				["technician", "is", "set"],
				["status", "=", "Assigned"],
			]
		),
		limit_page_length=1,
	).json()["data"]
	assert rows, "the demo city has assigned bookings of other technicians"
	other = rows[0]
	for method, params in (
		("jobs.job_detail", {}),
		("jobs.depart", {}),
		("jobs.report_exception", {"reason": "测试"}),
	):
		response = (read if method == "jobs.job_detail" else call)(
			demo_technician, method, booking=other["name"], **params
		)
		assert response.status_code == 404, response.text
		assert error_of(response)["code"] == "NOT_FOUND"
		assert other["contact_phone"] not in response.text
	# the same answer for a booking that does not exist at all
	missing = read(demo_technician, "jobs.job_detail", booking="HS-BK-1999-00001")
	assert missing.status_code == 404 and error_of(missing)["message"] == error_of(response)["message"]
	assert booking_of(other["name"])["status"] == "Assigned"

	theirs = call(demo_technician, "offers.accept_offer", offer=staged["other"]["offer"])
	assert theirs.status_code == 404 and error_of(theirs)["code"] == "NOT_FOUND"
	assert booking_of(staged["other"]["booking"])["status"] == "Offered"


def test_profile_updates_ignore_other_fields(demo_technician):
	before = read(demo_technician, "profile.get_profile").json()["message"]
	bio = "认真负责 " + secrets.token_hex(3)
	response = call(
		demo_technician,
		"profile.update_profile",
		bio=bio,
		review_status="Suspended",
		rating=5,
		status="Busy",
		technician_name="hacker",
		mobile_no="13000000000",
	)
	assert response.status_code == 200, response.text
	after = read(demo_technician, "profile.get_profile").json()["message"]
	assert after["bio"] == bio
	for field in ("review_status", "rating", "technician_name", "mobile_no"):
		assert after[field] == before[field], field


def test_technician_cannot_write_own_record_through_the_resource_api(demo_technician, staged):
	response = demo_technician.put(
		f"/api/resource/HS Technician/{staged['technician']}", json={"review_status": "Approved", "rating": 5}
	)
	assert response.status_code == 403


# --- refusals ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
	"method,verb",
	[
		("offers.list_offers", "GET"),
		("jobs.list_jobs", "GET"),
		("jobs.depart", "POST"),
		("availability.go_online", "POST"),
		("earnings.earnings_summary", "GET"),
	],
)
def test_guest_gets_401_in_our_error_shape(guest, method, verb):
	url = f"/api/method/{API}.{method}"
	response = guest.get(url) if verb == "GET" else guest.post(url, json={"booking": "HS-BK-2026-00001"})
	assert response.status_code == 401, response.text
	assert error_of(response)["code"] == "UNAUTHENTICATED"


def test_customer_is_refused(demo_customer):
	response = read(demo_customer, "offers.list_offers")
	assert response.status_code == 403 and error_of(response)["code"] == "FORBIDDEN"


def test_writes_are_post_only(demo_technician):
	response = read(demo_technician, "availability.go_offline")
	assert response.status_code in (403, 405)
	assert "error" in response.json()


@pytest.mark.parametrize(
	"method,body",
	[
		("jobs.arrive", {"booking": "x", "latitude": "north", "longitude": 121}),
		("jobs.propose_extra_charges", {"booking": "x", "lines": "not a list"}),
		("jobs.list_jobs", {"group": "everything"}),
		("availability.update_location", {"latitude": 95, "longitude": 121}),
		(
			"availability.set_working_hours",
			{"working_hours": [{"weekday": "Monday", "start_time": "9", "end_time": "8"}]},
		),
		("availability.add_leave", {"from_datetime": "2099-13-45 25:00", "to_datetime": "tomorrow"}),
		("reviews.create_appeal", {"subject": "x" * 5000, "reason": "y"}),
		("offers.reject_offer", {"offer": ["a", "b"], "reason": "r"}),
		("jobs.arrive", {"booking": "x"}),
	],
)
def test_malformed_bodies_are_4xx(demo_technician, method, body):
	if method == "jobs.list_jobs":
		response = read(demo_technician, method, **body)
	else:
		response = call(demo_technician, method, **body)
	assert 400 <= response.status_code < 500, response.text
	error_of(response)


def test_page_size_is_bounded(demo_technician):
	response = read(demo_technician, "jobs.list_jobs", page_size=1000)
	assert response.status_code == 422


def test_invalid_json_and_oversized_bodies(demo_technician):
	url = f"/api/method/{API}.jobs.depart"
	broken = demo_technician.post(url, data="{not json", headers={"Content-Type": "application/json"})
	assert 400 <= broken.status_code < 500, broken.text
	huge = demo_technician.post(url, json={"booking": "x", "notes": "很" * (2 * 1024 * 1024)})
	assert huge.status_code == 413, huge.status_code
	assert error_of(huge)["code"]


# --- onboarding --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def applicant(admin):
	email = f"applicant-{secrets.token_hex(4)}@test.home"
	password = "Hs-" + secrets.token_urlsafe(12)
	created = admin.post(
		"/api/resource/User",
		json={
			"email": email,
			"first_name": "申请人",
			"user_type": "Website User",
			"send_welcome_email": 0,
			"new_password": password,
		},
	)
	assert created.status_code == 200, created.text
	return Client(email, password)


def test_apply_then_upload_a_private_certificate(applicant, guest, ops):
	skill = ops.get("/api/resource/HS Skill", limit_page_length=1).json()["data"][0]["name"]
	area = ops.get(
		"/api/resource/HS Service Area", filters=json.dumps({"is_active": 1}), limit_page_length=1
	).json()["data"][0]["name"]
	application = {
		"technician_name": "李师傅",
		"mobile_no": "159" + str(secrets.randbelow(10**8)).zfill(8),
		"skills": [skill],
		"service_areas": [area],
		"qualifications": [{"qualification_type": "ID Card", "certificate_no": "11010519491231002X"}],
		"review_status": "Approved",
		"user": "Administrator",
	}
	applied = call(applicant, "onboarding.apply", **application)
	assert applied.status_code == 200, applied.text
	result = applied.json()["message"]
	assert result["review_status"] == "Pending"
	assert result["qualifications"][0]["certificate_no"].endswith("002X")
	assert "1101051949" not in applied.text

	again = call(applicant, "onboarding.apply", **application)
	assert again.status_code == 409 and error_of(again)["code"] == "CONFLICT"
	refused = read(applicant, "offers.list_offers")
	assert refused.status_code == 403 and error_of(refused)["code"] == "NOT_APPROVED"

	qualification = result["qualifications"][0]["name"]
	uploaded = applicant.post(
		f"/api/method/{API}.onboarding.upload_certificate",
		data={"qualification": qualification},
		files={"file": ("id.png", io.BytesIO(png(12)), "image/png")},
	)
	assert uploaded.status_code == 200, uploaded.text
	url = uploaded.json()["message"]["certificate_file"]
	assert url.startswith("/private/files/")
	assert applicant.get(url).status_code == 200
	assert guest.get(url).status_code in (401, 403, 404)

	html = applicant.post(
		f"/api/method/{API}.onboarding.upload_certificate",
		data={"qualification": qualification},
		files={"file": ("id.png", io.BytesIO(b"<html><script>alert(1)</script></html>"), "image/png")},
	)
	assert html.status_code == 415 and error_of(html)["code"] == "UNSUPPORTED_FILE_TYPE"

	too_big = applicant.post(
		f"/api/method/{API}.onboarding.upload_certificate",
		data={"qualification": qualification},
		files={"file": ("big.png", io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * (6 * 1024 * 1024)), "image/png")},
	)
	assert too_big.status_code == 413


def test_mini_program_token_works_without_cookies(technician_token):
	from hs_client import TokenClient

	client = TokenClient(technician_token)
	jobs = read(client, "jobs.list_jobs", group="history", page_size=5)
	assert jobs.status_code == 200, jobs.text
	page = jobs.json()["message"]
	assert set(page) == {"items", "page", "page_size", "total", "has_more"}
	assert all("contact" not in row for row in page["items"])
	earnings = read(client, "earnings.earnings_summary").json()["message"]
	assert earnings["source"] == "ledger" and set(earnings["this_month"]) >= {
		"completed_jobs",
		"gross_amount",
		"earned_amount",
	}
	assert set(earnings["balances"]) >= {"pending", "available", "in_payout", "total_earned"}
	assert call(client, "availability.go_online").status_code == 200
