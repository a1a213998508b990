"""The technician mini-program (H5 build at /t) in a phone-sized browser against the real site:

- a paid booking is offered to a demo technician; they log in by SMS (through the SMS fake), go online
  with the phone's position, see the offer with its countdown and accept it; depart, arrive once too far
  (the server's refusal is shown) and once at the address, start, upload a photo, propose an extra
  charge which the customer approves through the customer API (the answer shows up on the job), and
  complete;
- an offer rejected with a reason.

Each step's position is the browser's geolocation, set before the tap. Any console error fails a test
(the phone fixture, conftest.py); a screenshot of every page goes to the artifacts.
"""

import re
import time

import pytest
from hs_client import png
from mini_program import API, ok
from technician_app import (
	go_online,
	log_in_as_technician,
	logged_in_as,
	offer_card,
	open_tech,
	paid_booking,
	pending_offer,
	toast,
)

FAR = {"latitude": 31.2300, "longitude": 121.4700}  # about 5 km from the booking's address


def test_offer_to_completed_job(phone, tech_fakes, admin):
	sms, pay, wechat = tech_fakes
	page = phone.page
	customer, booking = paid_booking(wechat, pay)
	offer = pending_offer(admin, booking)
	log_in_as_technician(phone, sms, admin, offer["technician"])
	phone.screenshot("workbench-offline")

	go_online(phone)
	started = time.monotonic()
	card = offer_card(page, booking)
	offer_seconds = time.monotonic() - started
	assert re.fullmatch(r"\d\d:\d\d", card.locator(".countdown").inner_text())
	assert "¥" in card.inner_text()
	phone.screenshot("workbench-offer")
	card.locator(".accept-offer, .grab-offer").first.click()

	# the job page: the customer's address and contact once the job is mine
	page.wait_for_url(re.compile(rf"pages/job/detail\?booking={booking}"))
	step = page.locator(".step-button")
	step.filter(has_text="出发").wait_for()
	phone.screenshot("job-assigned")
	step.click()
	step.filter(has_text="到达打卡").wait_for()
	phone.screenshot("job-on-the-way")

	address = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"]
	phone.context.set_geolocation(FAR)
	phone.allow(r"status of 422 .*technician\.jobs\.arrive")
	step.click()
	modal = page.locator(".uni-modal")
	modal.get_by_text("无法打卡").wait_for()
	assert re.search(r"\d+ ?(m|米)", modal.inner_text()), modal.inner_text()
	phone.screenshot("arrive-too-far")
	page.locator(".uni-modal__btn_primary").click()

	phone.context.set_geolocation({"latitude": address["latitude"], "longitude": address["longitude"]})
	step.click()
	step.filter(has_text="开始服务").wait_for()
	step.click()
	step.filter(has_text="完工").wait_for()
	assert step.is_disabled() or "disabled" in (step.get_attribute("class") or "")  # no After photo yet
	phone.screenshot("in-service")

	with page.expect_file_chooser() as chooser:
		page.locator(".add-after").click()
	chooser.value.set_files({"name": "after.png", "mimeType": "image/png", "buffer": png(32)})
	page.locator(".photo.done").wait_for()
	phone.screenshot("photo-uploaded")

	page.locator(".extra-description input").fill("更换点火针")
	page.locator(".extra-amount input").fill("20")
	page.locator(".propose-extra").click()
	page.locator(".extra").filter(has_text="待客户确认").wait_for()
	phone.screenshot("extra-proposed")
	detail = ok(customer.get(f"{API}customer.bookings.get_booking", booking=booking))
	charge = next(c["charge"] for c in detail["extra_charges"] if c["status"] == "Proposed")
	ok(
		customer.call(
			"home_service.api.customer.bookings.approve_extra_charge", booking=booking, charge=charge
		)
	)
	page.locator(".extra").filter(has_text="客户已同意").wait_for()  # the page looks again on its own
	phone.screenshot("extra-approved")

	step.click()
	page.locator(".state").filter(has_text="待确认").wait_for()
	phone.screenshot("completed")
	row = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"]
	assert row["status"] == "Awaiting Confirmation"
	assert row["extra_total"] == 20
	print(f"\nH5 figures: offer shown {offer_seconds:.2f}s after going online")


def test_reject_an_offer_with_a_reason(phone, tech_fakes, admin):
	_sms, pay, wechat = tech_fakes
	page = phone.page
	_customer, booking = paid_booking(wechat, pay)
	offer = pending_offer(admin, booking)
	if offer["strategy"] == "Broadcast":
		pytest.skip("this booking's rule broadcasts: a pool offer is grabbed or left, not rejected")
	logged_in_as(phone, offer["technician"])
	open_tech(phone)
	go_online(phone)
	card = offer_card(page, booking)
	card.locator(".reject-offer").click()
	popup = page.locator(".reject-popup")
	popup.get_by_text("时间冲突").click()
	popup.locator(".reason-text textarea").fill("下午在另一个小区")
	phone.screenshot("reject-reason")
	popup.locator(".confirm-reject").click()
	toast(page, "已拒绝")
	card.wait_for(state="detached")
	row = admin.get(f"/api/resource/HS Dispatch Offer/{offer['name']}").json()["data"]
	assert row["status"] == "Rejected"
	assert row["reject_reason"] == "时间冲突：下午在另一个小区"


def test_every_other_page_renders(phone, admin):
	"""The pages the journeys above do not pass through, as the demo technician: job list, profile,
	messages, reviews and penalties; each shows its content (not an error) and is screenshotted."""
	page = phone.page
	technician = admin.get("/api/resource/HS Technician", filters='[["user", "=", "tech@demo.home"]]').json()[
		"data"
	][0]["name"]
	logged_in_as(phone, technician)
	pages = {
		"pages/job/list": ".wd-tabs",
		"pages-me/me": ".save-bio",
		"pages-me/messages": ".message, .state",
		"pages-me/reviews": ".review, .empty",
	}
	for route, ready in pages.items():
		open_tech(phone, route)
		page.locator(ready).first.wait_for()
		assert not page.locator("[role=alert]").count(), route  # loaded, not an error
		phone.screenshot(route.rsplit("/", 1)[-1])
	page.get_by_text("处罚 Penalties").click()
	page.locator(".penalty, .empty").first.wait_for()
	phone.screenshot("penalties")
