"""Each demo staff login opens every list and report of the Home Service workspace it may open, in Desk,
and sees rows: the demo city has data behind every card, the money side included (issue 20 point 5).

The pages come from the workspace itself (its cards' links and its shortcuts) and what Desk lets the
login open comes from its own boot (`frappe.boot.user.can_read`, `all_reports`), so a page added to
the workspace or a permission changed is covered without editing this test. Settings (single
DocTypes) have no list. A page a role may not open is not visited here (what it says to that role is
issue 20 point 7). Lists are opened in the running Desk (a route change, as a click does); reports
with a page load each. Any console error fails the test (conftest.py).
"""

import json

import pytest

STAFF = ("ops@demo.home", "dispatcher@demo.home", "service@demo.home", "finance@demo.home")
PASSWORD = "demo1234"  # every demo login (home_service/demo/data/users.json)
WORKSPACE = "Home Service"

# rows shown on the page at `route` (a list or a query report), or -1 when it says it has none;
# false while Desk is still loading it. A list has its own page container ("List/<DocType>/List"),
# every query report shares the "query-report" one.
SHOWN = """([route, rows]) => {
	if (frappe.get_route_str() !== route || (frappe.request && frappe.request.ajax_count)) return false;
	const page = [...document.querySelectorAll(".page-container")].find(
		(el) => el.offsetParent !== null && (route === el.dataset.pageRoute || route.startsWith(`${el.dataset.pageRoute}/`))
	);
	if (!page) return false;
	const count = page.querySelectorAll(rows).length;
	// a list's empty state, or a query report's message box saying so
	const empty = [...page.querySelectorAll(".no-result, .msg-box")].some(
		(el) => el.offsetParent !== null && (el.matches(".no-result") || el.textContent.includes(__("Nothing to show")))
	);
	return count ? count : empty ? -1 : false;
}"""


@pytest.fixture(scope="module")
def pages(admin) -> list[tuple[str, str]]:
	"""(DocType | Report, name) of every list and report the workspace links to, in its order."""
	workspace = admin.get(f"/api/resource/Workspace/{WORKSPACE}").json()["data"]
	linked = [(link["link_type"], link["link_to"]) for link in workspace["links"] if link["type"] == "Link"]
	linked += [(s["type"], s["link_to"]) for s in workspace["shortcuts"]]
	linked = list(dict.fromkeys(pair for pair in linked if pair[0] in ("DocType", "Report")))
	doctypes = [name for kind, name in linked if kind == "DocType"]
	singles = admin.get(
		"/api/resource/DocType",
		filters=json.dumps([["name", "in", doctypes], ["issingle", "=", 1]]),
		limit_page_length=0,
	).json()["data"]
	skip = {("DocType", row["name"]) for row in singles}
	assert len(linked) - len(skip) >= 30, linked
	return [pair for pair in linked if pair not in skip]


def rows_shown(desk, route: str, rows: str) -> int:
	handle = desk.page.wait_for_function(SHOWN, arg=[route, rows], timeout=20_000)
	return handle.json_value()


@pytest.mark.parametrize("user", STAFF)
def test_every_workspace_list_and_report_shows_rows(desk, pages, user):
	desk.login(user, PASSWORD)
	page = desk.page
	can_read = set(page.evaluate("() => frappe.boot.user.can_read"))
	may_run = set(page.evaluate("() => Object.keys(frappe.boot.user.all_reports || {})"))
	lists = [name for kind, name in pages if kind == "DocType" and name in can_read]
	reports = [name for kind, name in pages if kind == "Report" and name in may_run]
	assert lists, f"{user} may open no list of the workspace"
	# leave the landing workspace with a page load: its charts, still drawing, would be hidden by a
	# route change and Frappe Charts then draws bars of negative width (console errors)
	desk.goto(page.evaluate("(doctype) => frappe.router.slug(doctype)", lists[0]))
	empty = []
	for doctype in lists:
		page.evaluate("(doctype) => frappe.set_route('List', doctype, 'List')", doctype)
		if rows_shown(desk, f"List/{doctype}/List", ".result .list-row-container") < 1:
			empty.append(doctype)
			desk.screenshot(f"empty-{doctype}")
	for report in reports:
		desk.goto(f"query-report/{report}")
		if rows_shown(desk, f"query-report/{report}", ".dt-scrollable .dt-row") < 1:
			empty.append(report)
			desk.screenshot(f"empty-{report}")
	assert not empty, f"{user}: no rows in {empty}"
	desk.assert_no_console_errors()
