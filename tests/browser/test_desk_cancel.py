"""Desk's booking form as the operations manager: Actions → Cancel shows the fee and refund the policy
gives and asks for the reason, then the offers out are withdrawn; a state an administrator added to the
Workflow shows in the form's header, its timeline and the list."""

import json
import secrets

import pytest
from hs_client import bench_execute
from workflow_admin import workflow_changed

TECH = "tech@demo.home"
REVIEW, SEND = "派单复核", "送派单复核"


def resource(ops, doctype: str, name: str) -> dict:
	response = ops.get(f"/api/resource/{doctype}/{name}")
	assert response.status_code == 200, response.text
	return response.json()["data"]


def rows(ops, doctype: str, filters: dict, fields: list[str]) -> list[dict]:
	response = ops.get(
		f"/api/resource/{doctype}",
		filters=json.dumps(filters),
		fields=json.dumps(fields),
		order_by="creation asc",
		limit_page_length=100,
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


def offer_statuses(ops, booking: str) -> set[str]:
	return {o["status"] for o in rows(ops, "HS Dispatch Offer", {"booking": booking}, ["status"])}


def offered_booking(ops) -> dict:
	"""A paid booking offered to the demo technician, 30+ days ahead (free to cancel)."""
	staged = bench_execute("home_service.tests.technician_fixtures.stage_offers", user=TECH, count=1)
	booking = resource(ops, "HS Booking", staged["offers"][0]["booking"])
	assert booking["status"] == "Offered"
	assert offer_statuses(ops, booking["name"]) == {"Pending"}
	return booking


def open_form(desk, name: str):
	desk.goto(f"hs-booking/{name}")
	desk.page.wait_for_function("(name) => window.cur_frm && cur_frm.doc.name === name", arg=name)
	desk.wait_idle()
	return desk.page.locator(".page-head .indicator-pill").first


def cancel_in_the_dialog(desk, ops, booking: dict) -> str:
	"""Actions → Cancel: the dialog shows paid, fee (none yet) and refund; confirm with a reason."""
	page, name = desk.page, booking["name"]
	desk.workflow_action("Cancel")
	dialog = page.locator(".hs-cancel-dialog.modal.show")
	dialog.wait_for()
	desk.wait_idle()
	paid = f"{float(booking['paid_amount']):,.2f}"
	assert paid in dialog.locator(".hs-cancel-paid").inner_text()
	assert "0.00" in dialog.locator(".hs-cancel-fee").inner_text()
	assert paid in dialog.locator(".hs-cancel-refund").inner_text()
	assert resource(ops, "HS Booking", name)["status"] == "Offered"  # nothing happens before confirming
	desk.screenshot("cancel-dialog")

	reason = f"客户改约其他时间 {secrets.token_hex(2)}"
	dialog.locator('[data-fieldname="reason"] textarea').fill(reason)
	dialog.locator(".btn-modal-primary").click()
	page.wait_for_function("() => cur_frm.doc.status === 'Cancelled'")
	desk.wait_idle()
	# the timeline lists the reason (its section may be collapsed)
	page.locator(".hs-timeline-note").filter(has_text=reason).wait_for(state="attached")
	return reason


def assert_cancelled_with_offers_withdrawn(ops, name: str, reason: str, from_state: str) -> None:
	after = resource(ops, "HS Booking", name)
	assert (after["status"], after["workflow_state"]) == ("Cancelled", "Cancelled")
	assert after["cancel_reason"] == reason
	assert not after.get("held_technician")  # the time it held is free again
	assert offer_statuses(ops, name) == {"Withdrawn"}
	events = rows(
		ops,
		"HS Booking Event",
		{"booking": name, "to_status": "Cancelled"},
		["note", "actor", "from_state"],
	)
	assert [(e["note"], e["actor"], e["from_state"]) for e in events] == [
		(reason, "ops@demo.home", from_state)
	]


def test_cancel_from_the_actions_menu_asks_why_shows_the_money_and_withdraws_offers(desk, ops):
	booking = offered_booking(ops)
	desk.login()
	header = open_form(desk, booking["name"])
	assert header.inner_text().strip() == desk.t("Offered")
	reason = cancel_in_the_dialog(desk, ops, booking)
	assert header.inner_text().strip() == desk.t("Cancelled")
	desk.screenshot("cancelled")
	assert_cancelled_with_offers_withdrawn(ops, booking["name"], reason, "Offered")
	desk.assert_no_console_errors()


@pytest.fixture
def review_state(admin):
	"""The administrator's 派单复核 (mapped to Offered): the dispatcher sends an offered booking there,
	customer service may cancel it from there."""
	with workflow_changed(
		admin,
		states=[(REVIEW, "Offered")],
		transitions=[
			("Offered", SEND, REVIEW, "HS Dispatcher"),
			(REVIEW, "Cancel", "Cancelled", "HS Customer Service"),
		],
	):
		yield


def test_a_state_the_administrator_added_shows_in_the_form_timeline_and_list(desk, ops, review_state):
	booking = offered_booking(ops)
	name = booking["name"]
	desk.login()
	header = open_form(desk, name)
	desk.workflow_action(SEND)
	desk.page.wait_for_function("(state) => cur_frm.doc.workflow_state === state", arg=REVIEW)
	desk.wait_idle()
	assert header.inner_text().strip() == REVIEW  # not its status, 待接单
	change = desk.page.locator(".hs-timeline-change").last
	change.wait_for(state="attached")
	assert [p.strip() for p in change.locator(".indicator-pill").all_inner_texts()] == [
		desk.t("Offered"),
		REVIEW,
	]
	desk.screenshot("admin-state")

	desk.goto(f"hs-booking?name={name}")
	row = desk.page.locator(".list-row-container").filter(has_text=name).first
	row.wait_for()
	assert REVIEW in row.locator(".indicator-pill").first.inner_text()

	open_form(desk, name)
	reason = cancel_in_the_dialog(desk, ops, booking)
	assert_cancelled_with_offers_withdrawn(ops, name, reason, REVIEW)
	desk.assert_no_console_errors()
