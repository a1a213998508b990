"""Mini-program roles cannot reach around our API through /api/resource (security plan cases 1-3).

Customers and technicians logged in with a session cookie (Website Users, as on the website) are
refused the document API outright, like their tokens (api/gate.py; the sweep over every route, DocType
and token is tests/security/test_method_allowlist.py): 403 in the app's error shape, whatever they ask
for, their own records included; a Guest is told to log in. Staff in Desk keep /api/resource."""

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


def refused(response, status: int = 403, code: str = "FORBIDDEN") -> None:
	assert response.status_code == status, response.text[:300]
	assert response.json()["error"]["code"] == code, response.text[:300]


@pytest.fixture(scope="module")
def own_customer(ops):
	return ops.call(
		"frappe.client.get_value",
		doctype="HS Customer",
		filters={"user": "customer@demo.home"},
		fieldname="name",
	).json()["message"]["name"]


@pytest.fixture(scope="module")
def own_booking(ops, own_customer) -> str:
	return booking_names(ops, customer=own_customer)[0]["name"]


def test_customer_cannot_list_bookings_not_even_own(demo_customer, own_customer):
	refused(demo_customer.get("/api/resource/HS Booking"))
	refused(demo_customer.get("/api/resource/HS Booking", filters=json.dumps({"customer": own_customer})))
	refused(
		demo_customer.get("/api/resource/HS Booking", filters=json.dumps({"customer": ["!=", own_customer]}))
	)


def test_customer_cannot_read_own_or_another_customers_booking(demo_customer, ops, own_customer, own_booking):
	other = booking_names(ops, customer=["!=", own_customer])[0]["name"]
	refused(demo_customer.get(f"/api/resource/HS Booking/{other}"))
	refused(demo_customer.get(f"/api/resource/HS Booking/{own_booking}"))
	refused(
		demo_customer.call("frappe.client.get_value", doctype="HS Customer", filters={}, fieldname="name")
	)


def test_customer_cannot_create_or_edit_bookings(demo_customer, ops, own_booking):
	before = ops.call("frappe.client.get_count", doctype="HS Booking").json()["message"]
	refused(demo_customer.post("/api/resource/HS Booking", json={"customer": "x", "status": "Completed"}))
	edited = demo_customer.put(
		f"/api/resource/HS Booking/{own_booking}", json={"status": "Completed", "paid_amount": 1}
	)
	refused(edited)
	assert ops.call("frappe.client.get_count", doctype="HS Booking").json()["message"] == before
	assert ops.get(f"/api/resource/HS Booking/{own_booking}").json()["data"]["paid_amount"] != 1


def test_technician_cannot_list_bookings(demo_technician):
	refused(demo_technician.get("/api/resource/HS Booking"))
	refused(demo_technician.call("frappe.client.get_value", doctype="HS Technician", fieldname="name"))


def test_guest_sees_no_bookings(guest):
	refused(guest.get("/api/resource/HS Booking"), 401, "UNAUTHENTICATED")


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


def test_staff_fields_are_read_by_staff_only(demo_customer, ops, own_booking):
	"""internal_note and the dispatch internals are permlevel 1: staff read and edit them (as in
	Desk); the customer cannot read the booking through /api/resource at all, nor probe the note."""
	path = f"/api/resource/HS Booking/{own_booking}"
	previous = ops.get(path).json()["data"].get("internal_note")
	note = f"内部备注 pytest {datetime.now().isoformat()}"
	assert ops.put(path, json={"internal_note": note}).status_code == 200
	try:
		staff = ops.get(path).json()["data"]
		assert staff["internal_note"] == note
		refused(demo_customer.get(path))
		listed = demo_customer.get(
			"/api/resource/HS Booking",
			fields=json.dumps(["name", *STAFF_ONLY, "status"]),
			filters=json.dumps({"name": own_booking}),
		)
		refused(listed)
		probe = demo_customer.get(
			"/api/resource/HS Booking", filters=json.dumps({"internal_note": ["like", "%pytest%"]})
		)
		refused(probe)
	finally:
		ops.put(path, json={"internal_note": previous})
