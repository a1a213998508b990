"""The demo operations manager opens Desk and finds the workspace, cards, lists and forms populated."""

import json

import pytest
from security.test_resource_api import create_any_booking

# what each card promises to count, written out here (booking/test_number_cards.py counts known data)
NUMBER_CARDS = {
	"Bookings Today": [["window_start", "Timespan", "today"]],
	"Awaiting Dispatch": [["status", "in", ["Pending Dispatch", "Offered"]]],
	"In Service": [["status", "in", ["On The Way", "Arrived", "In Service"]]],
	"Completed Today": [["status", "=", "Completed"], ["completed_on", "Timespan", "today"]],
}


def test_desk_page_and_workspace_are_served(ops):
	assert ops.get("/app/home-service").status_code == 200
	sidebar = ops.call("frappe.desk.desktop.get_workspace_sidebar_items").json()["message"]
	assert "Home Service" in [page["name"] for page in sidebar["pages"]]
	page = ops.call(
		"frappe.desk.desktop.get_desktop_page",
		page=json.dumps({"name": "Home Service", "title": "Home Service"}),
	)
	assert page.status_code == 200, page.text
	cards = page.json()["message"]["number_cards"]["items"]
	assert {card["number_card_name"] for card in cards} >= set(NUMBER_CARDS)


@pytest.mark.parametrize("card", NUMBER_CARDS)
def test_number_cards_count_what_they_say(ops, card):
	doc = ops.get(f"/api/resource/Number Card/{card}").json()["data"]
	result = ops.call(
		"frappe.desk.doctype.number_card.number_card.get_result",
		doc=json.dumps(doc),
		filters=doc["filters_json"],
	)
	assert result.status_code == 200, result.text
	expected = ops.call(
		"frappe.client.get_list",
		doctype="HS Booking",
		fields=["count(name) as n"],
		filters=json.dumps(NUMBER_CARDS[card]),
	).json()["message"][0]["n"]
	assert result.json()["message"] == expected
	if card in ("Awaiting Dispatch", "In Service"):
		assert expected > 0  # the demo city has bookings in every status


@pytest.mark.parametrize(
	"doctype,minimum",
	[
		("HS Booking", 500),
		("HS Technician", 40),
		("HS Customer", 200),
		("HS Service Item", 30),
		("HS Service Area", 3),
	],
)
def test_lists_are_populated(ops, doctype, minimum):
	count = ops.call("frappe.client.get_count", doctype=doctype).json()["message"]
	assert count >= minimum


def test_every_status_is_present_in_the_demo(ops):
	rows = ops.call(
		"frappe.client.get_list",
		doctype="HS Booking",
		fields=["status", "count(name) as n"],
		group_by="status",
		limit_page_length=0,
	).json()["message"]
	assert len({row["status"] for row in rows}) == 12


def test_booking_form_loads_with_its_timeline(ops):
	name = ops.call(
		"frappe.client.get_list", doctype="HS Booking", filters={"status": "Completed"}, limit_page_length=1
	).json()["message"][0]["name"]
	form = ops.get("/api/method/frappe.desk.form.load.getdoc", doctype="HS Booking", name=name)
	assert form.status_code == 200, form.text
	doc = form.json()["docs"][0]
	assert doc["technician"] and doc["items"] and doc["charges"]
	events = ops.call(
		"frappe.client.get_list", doctype="HS Booking Event", filters={"booking": name}, fields=["to_status"]
	).json()["message"]
	assert "Completed" in {e["to_status"] for e in events}


def test_unpaid_booking_cannot_be_redispatched_from_an_exception(ops):
	"""Pending Payment -> Exception -> Re-dispatch is refused (409) like Pending Payment -> dispatch."""
	booking = create_any_booking(ops)
	apply = "frappe.model.workflow.apply_workflow"
	exception = ops.call(apply, doc=json.dumps(booking), action="Report Exception")
	assert exception.status_code == 200, exception.text
	booking = exception.json()["message"]
	assert (booking["status"], booking["payment_status"]) == ("Exception", "Unpaid")
	refused = ops.call(apply, doc=json.dumps(booking), action="Re-dispatch")
	assert refused.status_code == 409, refused.text
	assert refused.json()["exc_type"] == "TransitionInvariantError"
	assert ops.get(f"/api/resource/HS Booking/{booking['name']}").json()["data"]["status"] == "Exception"
	assert ops.call(apply, doc=json.dumps(booking), action="Cancel").status_code == 200
