"""Desk: customer service takes cash for a phone order on the booking form, finance approves it and the
booking is paid (an HS Payment of the Offline gateway, dispatch follows) — two people, as maker and
checker."""

import json
import re

from hs_client import bench_execute, png

SERVICE, FINANCE, PASSWORD = "service@demo.home", "finance@demo.home", "demo1234"


def resource(client, doctype: str, name: str) -> dict:
	response = client.get(f"/api/resource/{doctype}/{name}")
	assert response.status_code == 200, response.text
	return response.json()["data"]


def open_form(desk, route: str, name: str) -> None:
	desk.goto(f"{route}/{name}")
	desk.page.wait_for_function("(name) => window.cur_frm && cur_frm.doc.name === name", arg=name)
	desk.wait_idle()


def login_as(desk, user: str) -> None:
	desk.context.clear_cookies()
	desk.login(user, PASSWORD)


def record_cash(desk, booking: str, grand_total: str) -> str:
	"""On the booking form: Record Offline Payment → the new record comes filled in; choose cash, attach
	the receipt, save."""
	page = desk.page
	open_form(desk, "hs-booking", booking)
	page.locator(".page-actions button").filter(has_text=desk.t("Record Offline Payment")).first.click()
	page.wait_for_function("() => cur_frm.doctype === 'HS Offline Payment' && cur_frm.is_new()")
	desk.wait_idle()
	assert page.evaluate("() => [cur_frm.doc.booking, cur_frm.doc.amount]") == [booking, float(grand_total)]
	page.locator('.frappe-control[data-fieldname="method"] select').select_option("Cash")
	page.locator('.frappe-control[data-fieldname="remarks"] textarea').fill("客户来电下单，上门前到店付现金")

	page.locator('.frappe-control[data-fieldname="proof"] button').first.click()
	uploader = page.locator(".modal.show .file-uploader")
	uploader.wait_for()
	uploader.locator('input[type="file"]').set_input_files(
		files=[{"name": "receipt.png", "mimeType": "image/png", "buffer": png()}]
	)
	page.locator(".modal.show .btn-modal-primary").click()
	page.wait_for_function("() => Boolean(cur_frm.doc.proof)")
	desk.screenshot("recorded")

	page.keyboard.press("Control+s")
	page.wait_for_function("() => !cur_frm.is_new() && cur_frm.doc.status === 'Pending Approval'")
	desk.wait_idle()
	assert desk.t("Pending Approval") in page.locator(".page-head .indicator-pill:visible").first.inner_text()
	return page.evaluate("() => cur_frm.doc.name")


def approve(desk, name: str) -> None:
	page = desk.page
	open_form(desk, "hs-offline-payment", name)
	page.locator(".inner-group-button").filter(has_text=desk.t("Decide")).locator("button").first.click()
	page.locator(".inner-group-button .dropdown-item").filter(has_text=desk.t("Approve")).first.click()
	page.wait_for_function("() => cur_frm.doc.status === 'Approved'")
	desk.wait_idle()
	desk.screenshot("approved")


def test_cash_for_a_phone_order_is_recorded_on_the_booking_and_approved_by_finance(desk, admin):
	staged = bench_execute("home_service.tests.billing_fixtures.stage_offline_booking")
	booking = staged["booking"]
	assert resource(admin, "HS Booking", booking)["source_channel"] == "Offline"

	login_as(desk, SERVICE)
	name = record_cash(desk, booking, staged["grand_total"])
	before = resource(admin, "HS Booking", booking)
	assert (before["status"], before["payment_status"]) == ("Pending Payment", "Unpaid")  # not before finance
	# the receipt is the record's own private file, which finance may open
	files = admin.get(
		"/api/resource/File",
		filters=json.dumps({"attached_to_doctype": "HS Offline Payment", "attached_to_name": name}),
		fields=json.dumps(["is_private", "attached_to_field"]),
	).json()["data"]
	assert files == [{"is_private": 1, "attached_to_field": "proof"}]

	# customer service records, never approves: the form offers them no decision
	open_form(desk, "hs-offline-payment", name)
	assert desk.page.locator(".inner-group-button").filter(has_text=desk.t("Decide")).count() == 0
	desk.assert_no_console_errors()

	login_as(desk, FINANCE)
	approve(desk, name)
	record = resource(admin, "HS Offline Payment", name)
	assert (record["owner"], record["decided_by"], record["status"]) == (SERVICE, FINANCE, "Approved")

	open_form(desk, "hs-booking", booking)
	desk.page.wait_for_function("() => cur_frm.doc.payment_status === 'Paid'")
	headline = desk.page.locator(".form-message:visible").first.inner_text()
	assert re.search(re.escape(desk.t("Paid")), headline), headline
	desk.screenshot("booking-paid")

	after = resource(admin, "HS Booking", booking)
	assert after["payment_status"] == "Paid" and after["status"] != "Pending Payment"
	payment = resource(admin, "HS Payment", record["payment"])
	assert (payment["gateway"], payment["status"], payment["booking"]) == ("Offline", "Paid", booking)
	assert payment["amount"] == float(staged["grand_total"])
	desk.assert_no_console_errors()
