"""A state an administrator adds to the booking Workflow is followed by the technician API over HTTP.

As Administrator the suite saves HS Booking Lifecycle over REST (what the Workflow form sends):
"Finish Service" now leads to 质检 (mapped to In Service), which the dispatcher's "质检通过" passes;
and an optional 上门复核 (mapped to Arrived) the dispatcher may send a job to, left by "复核完成".
The shipped Workflow is put back afterwards. The demo technician works offers staged on the site.
"""

import json

import pytest
from hs_client import bench_execute, png
from workflow_admin import workflow_changed

API = "home_service.api.technician"
TECH = "tech@demo.home"
QC, PASS, REVIEW, REVIEWED = "质检", "质检通过", "上门复核", "复核完成"


def call(client, method: str, **data):
	return client.post(f"/api/method/{API}.{method}", json=data)


def message(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


def message_data(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["data"]


@pytest.fixture(scope="module")
def admin_states(admin):
	with workflow_changed(
		admin,
		states=[(QC, "In Service"), (REVIEW, "Arrived")],
		transitions=[
			(QC, PASS, "Awaiting Confirmation", "HS Dispatcher"),
			("Arrived", REVIEW, REVIEW, "HS Dispatcher"),
			(REVIEW, REVIEWED, "In Service", "HS Dispatcher"),
		],
		repoint=[("In Service", "Finish Service", QC)],
	):
		yield


def arrived_job(technician) -> dict:
	"""A job staged for the demo technician, accepted and checked in (status Arrived)."""
	staged = bench_execute("home_service.tests.technician_fixtures.stage_offers", user=TECH, count=1)
	job = staged["offers"][0]
	message(call(technician, "offers.accept_offer", offer=job["offer"]))
	message(call(technician, "jobs.depart", booking=job["booking"]))
	arrived = call(
		technician,
		"jobs.arrive",
		booking=job["booking"],
		latitude=job["latitude"],
		longitude=job["longitude"],
	)
	assert message(arrived)["status"] == "Arrived"
	return job


def desk_action(ops, booking: str, action: str) -> dict:
	"""A dispatcher's Actions menu in Desk (frappe.model.workflow.apply_workflow)."""
	doc = message_data(ops.get(f"/api/resource/HS Booking/{booking}"))
	applied = ops.call("frappe.model.workflow.apply_workflow", doc=json.dumps(doc), action=action)
	assert applied.status_code == 200, applied.text
	return applied.json()["message"]


def complete(technician, booking: str):
	uploaded = technician.post(
		f"/api/method/{API}.jobs.upload_photo",
		data={"booking": booking},
		files={"file": ("after.png", png(), "image/png")},
	)
	url = message(uploaded)["file_url"]
	return call(technician, "jobs.complete", booking=booking, photos=[{"file_url": url, "stage": "After"}])


def test_complete_stops_at_the_state_the_administrator_added(admin_states, demo_technician, ops):
	booking = arrived_job(demo_technician)["booking"]
	message(call(demo_technician, "jobs.start_service", booking=booking))
	card = message(complete(demo_technician, booking))
	assert (card["status"], card["state"]) == ("In Service", QC)
	assert "complete" not in card["next_actions"]
	again = message(complete(demo_technician, booking))  # a double tap: the job as it is
	assert again["state"] == QC and len(again["photos"]) == len(card["photos"])

	passed = desk_action(ops, booking, PASS)
	assert (passed["status"], passed["workflow_state"]) == ("Awaiting Confirmation",) * 2
	detail = message(demo_technician.get(f"/api/method/{API}.jobs.job_detail", booking=booking))
	states = [line["state"] for line in detail["timeline"]]
	assert states[-3:] == ["In Service", QC, "Awaiting Confirmation"]


def test_a_step_the_workflow_does_not_allow_is_a_readable_409(admin_states, demo_technician, ops):
	booking = arrived_job(demo_technician)["booking"]
	desk_action(ops, booking, REVIEW)
	refused = call(demo_technician, "jobs.start_service", booking=booking)
	assert refused.status_code == 409, refused.text
	error = refused.json()["error"]
	assert error["code"] == "INVALID_TRANSITION"
	assert REVIEW in error["message"] and REVIEWED in error["message"]
	assert message_data(ops.get(f"/api/resource/HS Booking/{booking}"))["workflow_state"] == REVIEW

	desk_action(ops, booking, REVIEWED)
	assert message_data(ops.get(f"/api/resource/HS Booking/{booking}"))["status"] == "In Service"
