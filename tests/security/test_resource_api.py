"""Mini-program roles cannot reach around our API through /api/resource (security plan cases 1-3)."""

import json
from datetime import datetime, timedelta

import pytest


def booking_names(client, **filters) -> list[dict]:
	response = client.get(
		"/api/resource/HS Booking",
		fields=json.dumps(["name", "customer", "technician"]),
		filters=json.dumps(filters),
		limit_page_length=0,
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


@pytest.fixture(scope="module")
def own_customer(demo_customer):
	return demo_customer.call(
		"frappe.client.get_value",
		doctype="HS Customer",
		filters={"user": "customer@demo.home"},
		fieldname="name",
	).json()["message"]["name"]


def test_customer_lists_only_own_bookings(demo_customer, own_customer):
	rows = booking_names(demo_customer)
	assert rows and {row["customer"] for row in rows} == {own_customer}


def test_customer_cannot_read_another_customers_booking(demo_customer, ops, own_customer):
	other = booking_names(ops, customer=["!=", own_customer])[0]["name"]
	response = demo_customer.get(f"/api/resource/HS Booking/{other}")
	assert response.status_code == 403


def test_filters_cannot_widen_the_customer_scope(demo_customer, own_customer):
	rows = booking_names(demo_customer, customer=["!=", own_customer])
	assert rows == []


def test_customer_cannot_create_or_edit_bookings(demo_customer, ops):
	before = ops.call("frappe.client.get_count", doctype="HS Booking").json()["message"]
	created = demo_customer.post("/api/resource/HS Booking", json={"customer": "x", "status": "Completed"})
	assert created.status_code == 403
	own = booking_names(demo_customer)[0]["name"]
	edited = demo_customer.put(
		f"/api/resource/HS Booking/{own}", json={"status": "Completed", "paid_amount": 1}
	)
	assert edited.status_code == 403
	assert ops.call("frappe.client.get_count", doctype="HS Booking").json()["message"] == before


def test_technician_lists_only_assigned_bookings(demo_technician):
	own = demo_technician.call(
		"frappe.client.get_value",
		doctype="HS Technician",
		filters={"user": "tech@demo.home"},
		fieldname="name",
	).json()["message"]["name"]
	rows = booking_names(demo_technician)
	assert rows and {row["technician"] for row in rows} == {own}


def test_guest_sees_no_bookings(guest):
	assert guest.get("/api/resource/HS Booking").status_code == 403


def test_staff_transition_errors_are_4xx_and_change_nothing(ops):
	booking = create_any_booking(ops)
	assert booking["status"] == "Pending Payment" and float(booking["grand_total"]) > 0

	forbidden = ops.put(f"/api/resource/HS Booking/{booking['name']}", json={"status": "Completed"})
	assert forbidden.status_code == 409
	assert forbidden.json()["exc_type"] == "InvalidTransitionError"  # with a translated message
	assert "Traceback" not in forbidden.text
	assert (
		ops.get(f"/api/resource/HS Booking/{booking['name']}").json()["data"]["status"] == "Pending Payment"
	)

	cancelled = ops.call("frappe.model.workflow.apply_workflow", doc=json.dumps(booking), action="Cancel")
	assert cancelled.status_code == 200, cancelled.text
	assert cancelled.json()["message"]["status"] == "Cancelled"


def create_any_booking(ops) -> dict:
	"""Staff take a phone order like a past one: same customer, address and item, first free day."""
	past = ops.get(
		"/api/resource/HS Booking",
		filters=json.dumps({"status": "Completed"}),
		fields=json.dumps(["name", "customer", "address"]),
		limit_page_length=20,
	).json()["data"]
	for row in past:
		item = ops.get(f"/api/resource/HS Booking/{row['name']}").json()["data"]["items"][0]["service_item"]
		for days in range(2, 9):
			start = (datetime.now() + timedelta(days=days)).strftime("%Y-%m-%d 10:00:00")
			created = ops.post(
				"/api/resource/HS Booking",
				json={
					"customer": row["customer"],
					"address": row["address"],
					"window_start": start,
					"items": [{"service_item": item}],
				},
			)
			if created.status_code == 200:
				return created.json()["data"]
			assert created.status_code == 409, created.text
	raise AssertionError("no free window in the demo city for a week")


STAFF_ONLY = ("internal_note", "held_technician", "dispatch_rule", "exception_reason")


def test_staff_fields_are_read_by_staff_only(demo_customer, ops, own_customer):
	"""internal_note and the dispatch internals are permlevel 1: staff read and edit them (as in
	Desk), the customer reading the same booking through /api/resource does not see them."""
	name = booking_names(demo_customer)[0]["name"]
	path = f"/api/resource/HS Booking/{name}"
	previous = ops.get(path).json()["data"].get("internal_note")
	note = f"内部备注 pytest {datetime.now().isoformat()}"
	assert ops.put(path, json={"internal_note": note}).status_code == 200
	try:
		staff = ops.get(path).json()["data"]
		mine = demo_customer.get(path).json()["data"]
		assert staff["internal_note"] == note and staff["customer"] == own_customer
		assert mine["customer"] == own_customer and not set(STAFF_ONLY) & set(mine)
		listed = demo_customer.get(
			"/api/resource/HS Booking",
			fields=json.dumps(["name", *STAFF_ONLY, "status"]),
			filters=json.dumps({"name": name}),
		).json()["data"]
		assert [set(row) for row in listed] == [{"name", "status"}]
		probe = demo_customer.get(
			"/api/resource/HS Booking", filters=json.dumps({"internal_note": ["like", "%pytest%"]})
		)
		assert probe.status_code == 403
	finally:
		ops.put(path, json={"internal_note": previous})
