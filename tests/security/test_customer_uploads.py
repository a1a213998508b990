"""Customers' photos on reviews and complaints (issue 15): customer.uploads.upload_photo over HTTP.

Each customer uploads for their own booking only; the file is private, named after and attached to
that booking, readable by its owner and not by another customer, and it becomes the complaint's or
review's when sent with one. Bad uploads get a clear 4xx: not an image 415, too large 413, no file
422, someone else's booking 404, a guest 401, too many a minute 429."""

import io
import json

import pytest
from fakes.site import site_config
from hs_client import TokenClient, bench_execute, png
from mini_program import random_ip

API = "/api/method/home_service.api."
UPLOAD = f"{API}customer.uploads.upload_photo"


@pytest.fixture(scope="module")
def jobs() -> list[dict]:
	"""Two bookings In Service, each with its own customer and technician (tokens)."""
	staged = [bench_execute("home_service.tests.http_staging.stage_job_in_service") for _ in range(2)]
	for job in staged:
		job["technician"] = TokenClient(job["technician_token"])
		job["customer"] = TokenClient(job["customer_token"])
	return staged


def upload(client, booking: str, content: bytes, name: str = "IMG_0001.png", ip: str | None = None):
	return client.post(
		UPLOAD,
		data={"booking": booking},
		files={"file": (name, io.BytesIO(content), "image/png")},
		headers={"X-Forwarded-For": ip or random_ip()},
	)


def file_row(admin, url: str) -> dict:
	response = admin.get(
		"/api/resource/File",
		filters=json.dumps([["file_url", "=", url]]),
		fields=json.dumps(["attached_to_doctype", "attached_to_name", "is_private"]),
	)
	assert response.status_code == 200, response.text
	rows = response.json()["data"]
	assert len(rows) == 1, rows
	return rows[0]


def code_of(response) -> str:
	return response.json()["error"]["code"]


def test_a_photo_is_private_and_only_its_owner_reads_it(jobs, admin):
	mine, theirs = jobs
	content = png(9)
	answer = upload(mine["customer"], mine["booking"], content)
	assert answer.status_code == 200, answer.text[:500]
	url = answer.json()["message"]["file_url"]
	assert url.startswith(f"/private/files/{mine['booking']}-") and url.endswith(".png"), url
	assert file_row(admin, url) == {
		"attached_to_doctype": "HS Booking",
		"attached_to_name": mine["booking"],
		"is_private": 1,
	}
	assert mine["customer"].get(url).content == content
	assert theirs["customer"].get(url).status_code == 403
	assert TokenClient("hs_not-a-token").get(url).status_code in (401, 403)

	# another customer can neither upload for this booking nor send this photo with their complaint
	foreign = upload(theirs["customer"], mine["booking"], content)
	assert foreign.status_code == 404, foreign.text[:300]
	taken = theirs["customer"].call(
		"home_service.api.customer.complaints.open_complaint",
		booking=theirs["booking"],
		category="Other",
		description="别人的照片",
		photos=[url],
	)
	assert taken.status_code == 403, taken.text[:300]

	# sent with my complaint it becomes the complaint's, still private and still mine to read
	opened = mine["customer"].call(
		"home_service.api.customer.complaints.open_complaint",
		booking=mine["booking"],
		category="Service Quality",
		description="台面有划痕，见照片",
		photos=[url],
	)
	assert opened.status_code == 200, opened.text[:300]
	complaint = opened.json()["message"]
	assert complaint["photos"] == [url]
	assert file_row(admin, url) == {
		"attached_to_doctype": "HS Complaint",
		"attached_to_name": complaint["complaint"],
		"is_private": 1,
	}
	assert mine["customer"].get(url).content == content
	assert theirs["customer"].get(url).status_code == 403


def test_a_review_takes_my_photos_of_that_booking(jobs, admin):
	job = jobs[1]
	customer, technician = job["customer"], job["technician"]
	after = technician.post(
		f"{API}technician.jobs.upload_photo",
		data={"booking": job["booking"]},
		files={"file": ("after.png", io.BytesIO(png(5)), "image/png")},
	)
	assert after.status_code == 200, after.text[:300]
	done = technician.call(
		"home_service.api.technician.jobs.complete",
		booking=job["booking"],
		photos=[{"file_url": after.json()["message"]["file_url"], "stage": "After"}],
	)
	assert done.status_code == 200, done.text[:300]
	confirmed = customer.call("home_service.api.customer.bookings.confirm_completion", booking=job["booking"])
	assert confirmed.status_code == 200, confirmed.text[:300]

	photos = []
	for size in (6, 7):
		answer = upload(customer, job["booking"], png(size))
		assert answer.status_code == 200, answer.text[:300]
		photos.append(answer.json()["message"]["file_url"])
	# the technician's photo of the job is not the customer's to put on a review
	refused = customer.call(
		"home_service.api.customer.reviews.submit_review",
		booking=job["booking"],
		rating=5,
		photos=[after.json()["message"]["file_url"]],
	)
	assert refused.status_code == 403, refused.text[:300]
	review = customer.call(
		"home_service.api.customer.reviews.submit_review",
		booking=job["booking"],
		rating=5,
		content="很干净",
		photos=photos,
	)
	assert review.status_code == 200, review.text[:300]
	name = review.json()["message"]["review"]
	for url in photos:
		assert file_row(admin, url)["attached_to_name"] == name


def test_bad_uploads_get_a_clear_4xx(jobs, guest):
	job = jobs[0]
	customer = job["customer"]
	cases = [
		(upload(customer, job["booking"], b"<svg onload=alert(1)>", "x.png"), 415, "UNSUPPORTED_FILE_TYPE"),
		(upload(customer, job["booking"], png() + b"\0" * (5 * 1024 * 1024)), 413, None),
		(upload(customer, job["booking"], b""), 422, None),
		(upload(customer, "HS-BK-NOPE", png()), 404, None),
		(customer.post(UPLOAD, data={"booking": job["booking"]}), 422, None),
		(upload(job["technician"], job["booking"], png()), 403, None),
		(upload(guest, job["booking"], png()), 401, None),
		(customer.get(UPLOAD, booking=job["booking"]), 405, None),
	]
	for response, status, code in cases:
		assert response.status_code == status, (status, response.text[:300])
		assert response.json()["error"]["message"], response.text[:300]
		if code:
			assert code_of(response) == code, response.text[:300]


def test_uploads_are_rate_limited_per_client(jobs):
	job, ip = jobs[0], random_ip()
	with site_config(hs_customer_upload_rate_limit=2):
		statuses = [upload(job["customer"], job["booking"], png(), ip=ip).status_code for _ in range(3)]
		elsewhere = upload(job["customer"], job["booking"], png(), ip=random_ip())
	assert statuses == [200, 200, 429], statuses
	assert elsewhere.status_code == 200, elsewhere.text[:300]


def test_the_openapi_document_lists_the_upload_and_its_errors(guest):
	spec = guest.get(f"{API}openapi.spec").json()
	operation = spec["paths"][UPLOAD]["post"]
	codes = {
		status: set(
			answer["content"]["application/json"]["schema"]["allOf"][1]["properties"]["error"]["properties"][
				"code"
			]["enum"]
		)
		for status, answer in operation["responses"].items()
		if status != "200"
	}
	for status, code in (
		("401", "UNAUTHENTICATED"),
		("403", "FORBIDDEN"),
		("404", "NOT_FOUND"),
		("409", "CONFLICT"),
		("413", "FILE_TOO_LARGE"),
		("415", "UNSUPPORTED_FILE_TYPE"),
		("422", "INVALID"),
		("429", "RATE_LIMITED"),
	):
		assert code in codes.get(status, set()), (status, code, sorted(codes))
	for method in ("customer.reviews.submit_review", "customer.complaints.open_complaint"):
		responses = spec["paths"][f"{API}{method}"]["post"]["responses"]
		assert {"403", "413", "415"} <= set(responses), (method, sorted(responses))
