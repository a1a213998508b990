"""Smaller things staff notice in Desk (issue 20, point 7), each driven in the browser as that staff
member: the booking form's progress and dispatch sections, the dispatch board's first load, pages a
role may not open, and the workspace's count charts."""

import json

import pytest

PASSWORD = "demo1234"  # every demo login (fixtures/users.json)

# is the field's section open: the field is laid out and its section body is not hidden
FIELD_SHOWN = """(fieldname) => {
	const field = cur_frm && cur_frm.fields_dict[fieldname];
	return !!field && field.$wrapper.closest(".section-body").is(":visible") && field.$wrapper.is(":visible");
}"""


def first(client, doctype: str, filters: list, fields=("name",), order_by="modified desc") -> dict:
	response = client.get(
		f"/api/resource/{doctype}",
		filters=json.dumps(filters),
		fields=json.dumps(list(fields)),
		order_by=order_by,
		limit_page_length=1,
	)
	assert response.status_code == 200, response.text
	rows = response.json()["data"]
	if not rows:
		pytest.skip(f"no {doctype} matches {filters} on this site")
	return rows[0]


@pytest.mark.parametrize("user", ["ops@demo.home", "dispatcher@demo.home"])
def test_booking_form_opens_with_progress_and_dispatch_shown(desk, admin, user):
	booking = first(admin, "HS Booking", [["status", "=", "Completed"]])["name"]
	desk.login(user, PASSWORD)
	desk.goto(f"hs-booking/{booking}")
	page = desk.page
	page.wait_for_function("(name) => window.cur_frm && cur_frm.doc.name === name", arg=booking)
	desk.wait_idle()
	for fieldname in ("timeline_html", "dispatch_html"):
		assert page.evaluate(FIELD_SHOWN, fieldname), f"{fieldname} is in a collapsed section"
	assert not page.evaluate(FIELD_SHOWN, "internal_note")  # Photos and Notes stays folded: the probe sees it
	# what they hold is on screen: the order's progress and the dispatch decisions
	page.locator("[data-fieldname='timeline_html'] .hs-timeline-item").first.wait_for(state="visible")
	page.locator("[data-fieldname='dispatch_html'] :is(.hs-dispatch, .hs-dispatch-empty)").first.wait_for(
		state="visible"
	)
	desk.screenshot("booking-sections")
	# a new booking has neither yet: the sections stay folded there
	desk.goto("hs-booking/new")
	page.wait_for_function("() => window.cur_frm && cur_frm.doc.__islocal")
	assert not page.evaluate(FIELD_SHOWN, "timeline_html")
	desk.assert_no_console_errors()
