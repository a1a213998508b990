"""Desk in Chinese (issue 20, point 6): an operator whose language is zh opens a booking, HS Payment
Settings, the Home Service workspace, the booking and payment lists, the payment reconciliation report
and the dispatch board and reads no English text of ours.

"Of ours" is the catalogue the app's unit test checks zh.csv against (home_service/tests/
zh_catalogue.py: labels, options, titles, messages of the DocType JSON, fixtures and code, and the frame
Frappe draws around our forms), asked of the site with `bench execute`. Every visible text on the page is compared with it: a text that is one of
ours, or contains one of ours of two words or more ("派单策略: Auto Assign"), is English left on screen.
Collapsed sections are opened first, so the dispatch panel and the timeline are read too.
"""

import re
import secrets
import threading
from datetime import date, timedelta

import pytest
from hs_client import BASE_URL, bench_execute

ROLES = ("HS Operations Manager", "HS Finance")  # the booking form and workspace, HS Payment Settings
# every text node the user can see, whitespace collapsed (inputs hold values, not labels: not read),
# with where it is (the nearest field, section or widget) for the report
VISIBLE_TEXTS = """() => {
	const texts = {};
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (walker.nextNode()) {
		const text = walker.currentNode.textContent.replace(/\\s+/g, " ").trim();
		const element = walker.currentNode.parentElement;
		if (!text || !element || element.closest("script, style, noscript, template")) continue;
		if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
		const place = element.closest("[data-fieldname], .form-section, .widget, .layout-side-section, .page-head");
		texts[text] = place
			? `${place.tagName.toLowerCase()}.${[...place.classList].slice(0, 2).join(".")}` +
			  (place.dataset.fieldname ? `[${place.dataset.fieldname}]` : "")
			: element.tagName.toLowerCase();
	}
	return texts;
}"""
WORD = re.compile(r"[A-Za-z]")
PLACEHOLDER = re.compile(r"\{\d*\}")


@pytest.fixture(scope="module")
def english():
	"""Our English texts, fetched while the browser logs in (`bench execute` takes a few seconds)."""
	found = {}

	def fetch():
		try:
			found["texts"] = bench_execute("home_service.tests.zh_catalogue.english_texts")
		except Exception as e:  # reported by the test that asks for the texts
			found["error"] = e

	worker = threading.Thread(target=fetch)
	worker.start()

	def texts() -> list[str]:
		worker.join()
		if "error" in found:
			raise found["error"]
		assert len(found["texts"]) > 1000, "the catalogue is unexpectedly small"
		return found["texts"]

	yield texts


@pytest.fixture
def zh_operator(admin):
	"""A staff user of the operations manager's and finance's roles whose language is zh; disabled after."""
	email = f"zh-ops-{secrets.token_hex(4)}@test.home"
	password = "Hs-" + secrets.token_urlsafe(12)
	created = admin.post(
		"/api/resource/User",
		json={
			"email": email,
			"first_name": "中文运营",
			"language": "zh",
			"send_welcome_email": 0,
			"new_password": password,
			"roles": [{"role": role} for role in ROLES],
		},
	)
	assert created.status_code == 200, created.text
	yield email, password
	admin.put(f"/api/resource/User/{email}", json={"enabled": 0})


def english_on_screen(desk, english: set[str]) -> list[str]:
	# a message of two words or more, or such a part of a template ("{0} last edited this")
	phrases = {part.strip() for text in english for part in PLACEHOLDER.split(text) if " " in part.strip()}
	found = []
	for text, place in desk.page.evaluate(VISIBLE_TEXTS).items():
		if not WORD.search(text):
			continue
		if text in english or text.rstrip(":：") in english:
			found.append(f"{text!r} ({place})")
			continue
		for phrase in phrases:
			if phrase in text and re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text):
				found.append(f"{phrase!r} in {text!r} ({place})")
				break
	return found


def open_collapsed_sections(desk) -> None:
	desk.page.evaluate(
		"() => cur_frm.layout.sections.filter((s) => s.is_collapsed && s.is_collapsed()).forEach((s) => s.collapse(false))"
	)
	desk.wait_idle()


CUSTOMER_NAMES = {"WeChat user", "Alipay user"}  # api/auth.py: a first login's default name


def test_a_zh_operator_reads_no_english_of_ours(english, zh_operator, ops, desk):
	# desk last: its page is closed before zh_operator's teardown disables the user
	# a paid booking that dispatch offered to someone: its timeline notes and dispatch panel are stored text
	booking = ops.get(
		"/api/resource/HS Dispatch Decision",
		filters='[["outcome", "like", "Offered to %"]]',
		fields='["booking"]',
		order_by="creation desc",
		limit_page_length=1,
	).json()["data"][0]["booking"]
	desk.login(*zh_operator)
	assert desk.page.evaluate("() => frappe.boot.lang") == "zh"
	# the default name a customer gets at a first login is stored in that login's language: data,
	# like any name (the mini-programs log in in Chinese; earlier suites of this run in English)
	ours = set(english()) - CUSTOMER_NAMES
	seen = {}

	desk.goto(f"hs-booking/{booking}")
	desk.page.locator(".form-layout").first.wait_for()
	open_collapsed_sections(desk)
	desk.page.locator(".hs-timeline-event").first.wait_for()  # the timeline has drawn its events
	desk.page.locator(".hs-dispatch-decision").first.wait_for()  # and the dispatch panel its rounds
	seen["booking"] = english_on_screen(desk, ours)
	desk.screenshot("booking")

	# price lines the quote wrote in English (the demo's, a job's): shown in the reader's language
	lines = ops.get(
		"/api/method/frappe.client.get_list",
		doctype="HS Booking Charge",
		parent="HS Booking",
		fields='["parent"]',
		filters='[["description", "like", "Distance fee:%"]]',
		limit_page_length=1,
	).json()["message"]
	if lines:
		desk.goto(f"hs-booking/{lines[0]['parent']}")
		desk.page.locator('.grid-static-col[data-fieldname="description"]').first.wait_for()
		seen["price lines"] = english_on_screen(desk, ours)

	desk.goto("hs-payment-settings")
	desk.page.locator('.frappe-control[data-fieldname="wechatpay_apiv3_key"]').wait_for()
	seen["HS Payment Settings"] = english_on_screen(desk, ours)
	desk.screenshot("payment-settings")

	desk.goto("home-service")
	desk.page.locator(".number-widget-box").first.wait_for()
	desk.page.wait_for_load_state("networkidle")  # the charts have their data and legends
	desk.wait_idle()
	seen["workspace"] = english_on_screen(desk, ours)
	desk.screenshot("workspace")

	desk.goto("hs-booking")  # the list: indicators, filters, columns
	desk.page.locator(".result .list-row-container .list-subject a[data-name]").first.wait_for()
	desk.wait_idle()
	seen["booking list"] = english_on_screen(desk, ours)
	desk.screenshot("booking-list")

	desk.goto("hs-payment")  # the gateway column: a hook's name stored in a Data field
	desk.page.locator(".result .list-row-container .list-subject a[data-name]").first.wait_for()
	desk.wait_idle()
	seen["payment list"] = english_on_screen(desk, ours)

	# stored values in cells and the summary, over the demo's last two months
	since = (date.today() - timedelta(days=60)).isoformat()
	desk.goto(f"query-report/HS Payment Reconciliation?from_date={since}&to_date={date.today().isoformat()}")
	desk.page.wait_for_load_state("networkidle")  # Desk runs the report again once its filters are set
	desk.wait_idle()
	desk.page.locator(".report-summary .summary-item").first.wait_for()
	desk.page.locator(".dt-scrollable .dt-row").first.wait_for()
	seen["reconciliation report"] = english_on_screen(desk, ours)
	desk.screenshot("reconciliation")

	desk.goto("hs-dispatch-board")
	desk.page.locator(".hs-board-timeline .hs-board-row").first.wait_for()
	seen["dispatch board"] = english_on_screen(desk, ours)
	desk.screenshot("dispatch-board")

	left = {page: texts for page, texts in seen.items() if texts}
	assert not left, f"English of ours on a zh operator's screen at {BASE_URL}: {left}"
	desk.assert_no_console_errors()
