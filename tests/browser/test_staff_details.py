"""Smaller things staff notice in Desk (issue 20, point 7), each driven in the browser as that staff
member: the booking form's progress and dispatch sections, the dispatch board's first load, pages a
role may not open, and the workspace's count charts."""

import json
import re
from itertools import pairwise

import pytest
from hs_client import BASE_URL as SERVER_URL

PASSWORD = "demo1234"  # every demo login (home_service/demo/data/users.json)

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


BOARD = "hs-dispatch-board"
BOARD_CALL = "hs_dispatch_board.get_board"
BOARD_DATA = (
	"() => { const w = frappe.pages['hs-dispatch-board']; return w && w.hs_board && w.hs_board.data; }"
)


def open_board(desk) -> list[str]:
	"""Open the board with a page load; the get_board calls it made."""
	calls = []
	desk.page.on("request", lambda request: BOARD_CALL in request.url and calls.append(request.url))
	desk.goto(BOARD)
	desk.page.locator(".hs-board-timeline .hs-board-header").wait_for()
	desk.page.wait_for_load_state("networkidle")
	desk.wait_idle()
	return calls


def overlap(a: dict, b: dict) -> bool:
	return (
		a["x"] < b["x"] + b["width"]
		and b["x"] < a["x"] + a["width"]
		and (a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
	)


def test_dispatch_board_opens_on_every_area_in_one_call_with_the_hours_clear(desk, admin):
	areas = admin.get("/api/resource/HS Service Area", limit_page_length=0, order_by="name asc").json()[
		"data"
	]
	assert len(areas) > 1, areas
	desk.login("dispatcher@demo.home", PASSWORD)
	calls = open_board(desk)
	assert len(calls) == 1, calls
	page = desk.page
	data = page.evaluate(BOARD_DATA)
	# the dispatcher is tied to no area: every area, not the first in sort order
	assert data["service_area"] is None
	assert page.evaluate("() => frappe.pages['hs-dispatch-board'].hs_board.area_field.get_value()") in (
		"",
		None,
	)
	placeholder = page.locator(".page-form [data-fieldname='service_area'] input").get_attribute(
		"placeholder"
	)
	assert placeholder == desk.t("All Service Areas")
	served = admin.get(
		"/api/resource/HS Technician",
		filters=json.dumps([["review_status", "=", "Approved"]]),
		fields=json.dumps(["count(distinct name) as n"]),
	).json()["data"]
	assert len(data["technicians"]) >= min(served[0]["n"], 2), (len(data["technicians"]), served)
	# the last hour's label stays inside the timeline, clear of the 未派单 heading beside it
	last_tick = page.locator(".hs-board-header .hs-board-tick").last
	assert last_tick.inner_text().endswith(":00")
	heading = page.locator(".hs-board-side-title")
	assert heading.inner_text().startswith(desk.t("Unassigned"))
	tick_box, heading_box = last_tick.bounding_box(), heading.bounding_box()
	timeline_box = page.locator(".hs-board-timeline").bounding_box()
	assert not overlap(tick_box, heading_box), (tick_box, heading_box)
	assert tick_box["x"] + tick_box["width"] <= timeline_box["x"] + timeline_box["width"], (
		tick_box,
		timeline_box,
	)
	labels = page.locator(".hs-board-header .hs-board-tick")
	boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
	assert not any(overlap(a, b) for a, b in pairwise(boxes)), boxes  # nor into each other
	desk.screenshot("board-all-areas")
	desk.assert_no_console_errors()


def test_dispatch_board_opens_on_the_users_own_area(desk, admin):
	areas = admin.get("/api/resource/HS Service Area", limit_page_length=0, order_by="name asc").json()[
		"data"
	]
	own = areas[-1]["name"]  # not the first in sort order
	tie = admin.post(
		"/api/resource/User Permission",
		json={
			"user": "dispatcher@demo.home",
			"allow": "HS Service Area",
			"for_value": own,
			"is_default": 1,
			"apply_to_all_doctypes": 0,
			"applicable_for": "HS Service Area",
		},
	)
	assert tie.status_code == 200, tie.text
	try:
		desk.login("dispatcher@demo.home", PASSWORD)
		calls = open_board(desk)
		assert len(calls) == 1, calls
		assert desk.page.evaluate(BOARD_DATA)["service_area"] == own
		area_input = desk.page.locator(".page-form [data-fieldname='service_area'] input")
		assert area_input.input_value() == own
		desk.screenshot("board-own-area")
		desk.assert_no_console_errors()
	finally:
		gone = admin.http.delete(f"{SERVER_URL}/api/resource/User Permission/{tie.json()['data']['name']}")
		assert gone.status_code in (200, 202), gone.text


NO_PERMISSION = "No permission: your role may not open {0}. Ask an administrator if your work needs it."


@pytest.mark.parametrize(
	("user", "route", "label"),
	[
		("dispatcher@demo.home", "hs-payment", "HS Payment"),
		("dispatcher@demo.home", "hs-payment/new", "HS Payment"),
		("dispatcher@demo.home", "query-report/HS Orders and Revenue", "HS Orders and Revenue"),
		("finance@demo.home", "hs-dispatch-board", "Dispatch Board"),
	],
)
def test_a_page_the_role_may_not_open_says_no_permission(desk, user, route, label):
	desk.login(user, PASSWORD)
	desk.goto(route)
	page = desk.page
	message = page.locator(".page-container.hs-no-permission .message-page-content .lead")
	message.wait_for(state="visible")
	expected = page.evaluate("([text, label]) => __(text, [__(label)])", [NO_PERMISSION, label])
	assert message.inner_text() == expected
	if page.evaluate("() => frappe.boot.lang") == "zh":  # the demo staff read Chinese
		assert expected.startswith("没有权限"), expected
	shown = page.locator("body").inner_text()
	for not_found in (desk.t("Page {0} not found"), "not found", "未找到"):
		assert not_found.replace("{0}", "").strip() not in shown, shown
	assert not page.locator(".modal.show .msgprint").count()  # no "page not found" dialog either
	assert page.title().startswith(desk.t("No permission"))
	desk.screenshot("no-permission")
	desk.assert_no_console_errors()


def test_pages_the_role_may_open_still_open(desk):
	desk.login("dispatcher@demo.home", PASSWORD)
	desk.goto("hs-booking")
	desk.page.locator(".page-container[data-page-route='List/HS Booking/List'] .list-row").first.wait_for()
	desk.goto("query-report/HS Technician Performance")
	desk.page.wait_for_function(
		"() => frappe.query_report && frappe.query_report.report_name === 'HS Technician Performance'"
	)
	assert not desk.page.locator(".hs-no-permission:visible").count()
	desk.assert_no_console_errors()


# one chart's axes as shown: y tick texts and x labels (the visible text; a label's <title> is its full name)
CHART_AXES = """(title) => {
	const box = [...document.querySelectorAll(".dashboard-widget-box")].find(
		(b) => (b.querySelector(".widget-title") || {}).innerText === title
	);
	const visible = (t) => [...t.childNodes].filter((n) => n.nodeName !== "title").map((n) => n.textContent).join("");
	return {
		y: [...box.querySelectorAll(".y.axis text")].map((t) => t.textContent),
		x: [...box.querySelectorAll(".x.axis text")].map(visible),
		full: [...box.querySelectorAll(".x.axis text")].map((t) => (t.querySelector("title") || t).textContent),
	};
}"""


def chart_axes(desk, chart: str) -> dict:
	page = desk.page
	title = desk.t(chart)
	box = page.locator(".dashboard-widget-box").filter(has=page.locator(".widget-title", has_text=title))
	box.scroll_into_view_if_needed()
	box.locator(".x.axis text").first.wait_for()
	page.wait_for_load_state("networkidle")
	page.wait_for_timeout(300)  # the labels are fitted on the next animation frame
	return page.evaluate(CHART_AXES, title)


def names(admin, doctype: str, field: str = "name") -> set[str]:
	rows = admin.get(f"/api/resource/{doctype}", fields=json.dumps([field]), limit_page_length=0).json()[
		"data"
	]
	return {row[field] for row in rows}


def test_count_charts_show_whole_numbers_readable_labels_and_units(desk, admin):
	desk.login()  # the operations manager sees every chart of the workspace
	desk.goto("home-service")
	expected = {
		"Orders by Category": names(admin, "HS Service Category"),
		"Orders by District": names(admin, "HS Service Area"),
		"Technician Utilisation": names(admin, "HS Technician", "technician_name"),
	}
	for chart, known in expected.items():
		axes = chart_axes(desk, chart)
		assert axes["y"] and axes["x"], (chart, axes)
		# every bar is named in full: no "..", no name cut to its first characters
		assert set(axes["full"]) <= known, (chart, axes["full"])
		assert [label.replace("…", "") for label in axes["x"]] == axes["full"], (chart, axes)
		assert not any(".." in label for label in axes["x"]), (chart, axes["x"])
		if chart == "Technician Utilisation":  # a share of working time: the axis says %
			assert all(tick.endswith("%") for tick in axes["y"]), axes["y"]
			ticks = [tick.removesuffix("%") for tick in axes["y"]]
		else:  # counts: whole numbers, never 200.00 nor 2.5
			ticks = axes["y"]
			assert all(tick == "" or re.fullmatch(r"\d+( K| M)?", tick) for tick in ticks), (chart, ticks)
		assert not any(tick.endswith(".00") for tick in ticks), (chart, ticks)
	desk.screenshot("charts")
	desk.assert_no_console_errors()
