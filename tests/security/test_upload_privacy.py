"""Job photos stay with their booking (issue 14, point 4). Frappe stores identical bytes once and
used to hand a new upload the URL of the first File with the same content, named after another
customer's booking. Two unrelated technicians upload the same bytes, each for their own job: each
gets a file of its own, named after and attached to its own booking, that the other side cannot read
or use."""

import io
import json

import pytest
from hs_client import TokenClient, bench_execute, png

API = "/api/method/home_service.api."


@pytest.fixture(scope="module")
def jobs() -> list[dict]:
	"""Two bookings In Service, each with its own customer and technician (tokens)."""
	staged = [bench_execute("home_service.tests.http_staging.stage_job_in_service") for _ in range(2)]
	for job in staged:
		job["technician"] = TokenClient(job["technician_token"])
		job["customer"] = TokenClient(job["customer_token"])
	return staged


def upload(job: dict, content: bytes):
	return job["technician"].post(
		f"{API}technician.jobs.upload_photo",
		data={"booking": job["booking"]},
		files={"file": ("IMG_0001.png", io.BytesIO(content), "image/png")},
	)


def file_rows(admin, url: str) -> list[dict]:
	response = admin.get(
		"/api/resource/File",
		filters=json.dumps([["file_url", "=", url]]),
		fields=json.dumps(["attached_to_doctype", "attached_to_name"]),
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


def test_identical_photos_for_two_bookings_stay_apart(jobs, admin):
	# the same bytes every suite uploads: Frappe has seen them before, for other bookings
	content = png()
	urls = []
	for job in jobs:
		answer = upload(job, content)
		assert answer.status_code == 200, answer.text[:500]
		urls.append(answer.json()["message"]["file_url"])
	first, second = jobs
	assert urls[0] != urls[1]
	for job, url in zip(jobs, urls, strict=True):
		assert url.startswith(f"/private/files/{job['booking']}-"), url  # named after its own booking
		assert file_rows(admin, url) == [
			{"attached_to_doctype": "HS Booking", "attached_to_name": job["booking"]}
		]
		assert job["technician"].get(url).content == content
		assert job["customer"].get(url).content == content

	# the other side can neither read it nor put it on their own booking
	for mine, url in ((first, urls[1]), (second, urls[0])):  # the other job's photo
		assert mine["technician"].get(url).status_code == 403
		assert mine["customer"].get(url).status_code == 403
		used = mine["technician"].post(
			f"{API}technician.jobs.complete",
			json={"booking": mine["booking"], "photos": [{"file_url": url, "stage": "After"}]},
		)
		assert used.status_code == 403, used.text[:300]

	# each finishes with its own photo, and the job card shows only that one
	for job, url in zip(jobs, urls, strict=True):
		done = job["technician"].post(
			f"{API}technician.jobs.complete",
			json={"booking": job["booking"], "photos": [{"file_url": url, "stage": "After"}]},
		)
		assert done.status_code == 200, done.text[:300]
		assert [p["file_url"] for p in done.json()["message"]["photos"]] == [url]
