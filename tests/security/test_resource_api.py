"""Mini-program roles cannot reach around our API through /api/resource (security plan cases 1-3)."""

import json

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
	customer = booking_names(ops)[0]["customer"]
	item = ops.get(
		"/api/resource/HS Service Item", filters=json.dumps({"pricing_model": "Fixed", "is_active": 1})
	).json()["data"][0]["name"]
	created = ops.post(
		"/api/resource/HS Booking",
		json={
			"customer": customer,
			"window_start": "2031-05-01 10:00:00",
			"items": [{"service_item": item, "quantity": 1}],
		},
	)
	assert created.status_code == 200, created.text
	booking = created.json()["data"]
	assert booking["status"] == "Pending Payment" and float(booking["grand_total"]) > 0

	forbidden = ops.put(f"/api/resource/HS Booking/{booking['name']}", json={"status": "Completed"})
	assert forbidden.status_code == 409
	assert "Pending Payment" in forbidden.json()["exception"] or "Pending Payment" in forbidden.text
	assert (
		ops.get(f"/api/resource/HS Booking/{booking['name']}").json()["data"]["status"] == "Pending Payment"
	)

	cancelled = ops.call("frappe.model.workflow.apply_workflow", doc=json.dumps(booking), action="Cancel")
	assert cancelled.status_code == 200, cancelled.text
	assert cancelled.json()["message"]["status"] == "Cancelled"
