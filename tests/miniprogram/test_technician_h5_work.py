"""The technician mini-program (H5 at /t) beyond one job, in a phone-sized browser against the real site:

- leave over an assigned job is refused with the server's reason; leave on a free day is taken and
  cancelled;
- a payout account linked (through the API with the WeChat login fake's code, as the WeChat app does:
  H5 has no wx.login), a withdrawal asked for in the browser, finance approves it as in Desk, and the
  status on the earnings page moves on;
- a broadcast booking in two technicians' grab pools: both tap at once, one gets the job and the
  other is told it is gone.
"""

import json
import random
import re
import secrets
import time

import pytest
from hs_client import Client, TokenClient, bench_execute, png
from mini_program import API, ITEM, ok, wait_until, wechat_customer
from technician_app import (
	go_online,
	logged_in_as,
	offer_card,
	open_tech,
	paid_booking,
	pending_offer,
	toast,
)


def assigned_job(admin, wechat, pay) -> tuple[str, str, dict]:
	"""A paid booking and its pending offer: (booking, the technician offered it, the offer)."""
	_customer, booking = paid_booking(wechat, pay)
	offer = pending_offer(admin, booking)
	return booking, offer["technician"], offer


def test_leave_over_an_assigned_job_is_refused(phone, tech_fakes, admin):
	_sms, pay, wechat = tech_fakes
	page = phone.page
	booking, technician, offer = assigned_job(admin, wechat, pay)
	client = logged_in_as(phone, technician)
	ok(client.call("home_service.api.technician.offers.accept_offer", offer=offer["name"]))
	day = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"]["window_start"][:10]

	open_tech(phone, "pages-me/schedule")
	page.locator(f'.day[data-date="{day}"] .job-line').first.wait_for()  # the job on the calendar
	phone.screenshot("schedule")
	page.locator(f'.leave-day[data-date="{day}"]').click()
	phone.allow(r"status of 409 .*availability\.add_leave")
	page.locator(".add-leave").click()
	modal = page.locator(".uni-modal")
	modal.get_by_text("无法请假").wait_for()
	phone.screenshot("leave-refused")
	page.locator(".uni-modal__btn_primary").click()

	free = next(
		d
		for d in page.locator(".leave-day").evaluate_all("(els) => els.map((e) => e.dataset.date)")[1:]
		if not page.locator(f'.day[data-date="{d}"] .job-line').count()
	)
	page.locator(f'.leave-day[data-date="{free}"]').click()
	page.locator(".add-leave").click()
	toast(page, "请假已生效")
	leave = page.locator(".leave").first
	leave.wait_for()
	phone.screenshot("leave-taken")
	leave.locator(".cancel-leave").click()
	page.locator(".uni-modal__btn_primary").click()
	toast(page, "已取消")
	leave.wait_for(state="detached")


def withdrawing_technician(admin) -> tuple[str, str]:
	"""A demo technician with an earning still settling who may withdraw again today (the daily count
	is the site's rule: a rerun of the suite on the same day picks someone else); and that earning."""
	earnings = admin.get(
		"/api/resource/HS Technician Earning",
		filters=json.dumps([["status", "=", "Pending"], ["technician_fen", ">", 2000]]),
		fields=json.dumps(["name", "technician"]),
		order_by="creation asc",
		limit_page_length=200,
	).json()["data"]
	today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))  # the site's day
	for row in earnings:
		asked = admin.get(
			"/api/resource/HS Withdrawal",
			filters=json.dumps([["technician", "=", row["technician"]], ["requested_on", ">=", today]]),
			fields=json.dumps(["name"]),
		).json()["data"]
		if not asked:
			return row["technician"], row["name"]
	pytest.skip("no demo technician with an earning left who has not withdrawn today")


def test_withdraw_and_finance_approves(phone, tech_fakes, admin):
	_sms, _pay, wechat = tech_fakes
	page = phone.page
	technician, earning = withdrawing_technician(admin)
	# the hourly settlement after the delay, run now for one of their earnings: money to withdraw
	bench_execute("home_service.billing.earnings.settle", earning_name=earning)
	client = logged_in_as(phone, technician)
	summary = ok(client.get(f"{API}technician.earnings.earnings_summary"))
	available, minimum = summary["balances"]["available"], summary["rules"]["withdrawal_minimum"]
	if float(available) < float(minimum):
		pytest.skip(f"the demo technician has {available} to withdraw, less than the minimum {minimum}")
	linked = ok(
		client.call("home_service.api.technician.payout_accounts.link_wechat", code=wechat.login_code())
	)
	assert linked["wechat"]

	def pending() -> list[str]:
		answer = ok(client.get(f"{API}technician.withdrawals.list_withdrawals", status="Pending Approval"))
		return [w["name"] for w in answer["items"]]

	before = pending()  # the demo may have left this technician an older request waiting
	open_tech(phone, "pages-me/earnings")
	page.locator(".available").filter(has_text="¥").wait_for()
	assert page.locator(".available").inner_text() == f"¥{float(available):,.2f}"
	assert f"单笔最低 ¥{float(minimum):,.2f}" in page.locator(".rules").inner_text()  # the rules shown
	phone.screenshot("earnings")
	page.locator(".withdraw-amount input").fill(minimum)
	page.locator(".submit-withdraw").dblclick()  # a double tap asks once
	toast(page, "已提交，等待审核")
	row = page.locator(".withdrawal").first
	row.locator(".withdrawal-status").filter(has_text="待审核").wait_for()
	name = row.get_attribute("data-withdrawal")
	phone.screenshot("withdrawal-pending")
	after = pending()
	assert name not in before and after.count(name) == 1, (before, after)
	assert sorted(after) == sorted([*before, name]), "a double tap asks once"

	finance = Client("finance@demo.home")
	approved = finance.call("home_service.billing.doctype.hs_withdrawal.hs_withdrawal.approve", name=name)
	assert approved.status_code == 200, approved.text
	# the page follows an open withdrawal: approved, then sent by the worker and paid or waiting
	page.wait_for_function(
		"(name) => { const e = document.querySelector(`.withdrawal[data-withdrawal='${name}'] .withdrawal-status`);"
		" return e && e.textContent.trim() !== '待审核' }",
		arg=name,
		timeout=30_000,
	)
	phone.screenshot("withdrawal-approved")


@pytest.fixture
def broadcast_rule(admin):
	"""A dispatch rule that offers the item's bookings to several technicians at once (the grab pool),
	above every other rule while the test runs; disabled afterwards."""
	category = admin.get(f"/api/resource/HS Service Item/{ITEM}").json()["data"]["category"]
	created = admin.post(
		"/api/resource/HS Dispatch Rule",
		json={
			"rule_name": f"抢单测试 {secrets.token_hex(3)}",
			"enabled": 1,
			"priority": 10_000,
			"strategy": "Broadcast",
			"category": category,
			"broadcast_size": 5,
			"offer_timeout_seconds": 300,
		},
	)
	assert created.status_code == 200, created.text
	name = created.json()["data"]["name"]
	yield name
	admin.put(f"/api/resource/HS Dispatch Rule/{name}", json={"enabled": 0})


def test_grab_race_one_wins(phone, another_phone, tech_fakes, admin, broadcast_rule):
	_sms, pay, wechat = tech_fakes
	_customer, booking = paid_booking(wechat, pay, most_free=True)
	pending_offer(admin, booking)
	offers = admin.get(
		"/api/resource/HS Dispatch Offer",
		filters=json.dumps([["booking", "=", booking], ["status", "=", "Pending"]]),
		fields=json.dumps(["technician", "strategy"]),
	).json()["data"]
	if len(offers) < 2:
		pytest.skip("only one technician could take this booking")
	assert {o["strategy"] for o in offers} == {"Broadcast"}
	first, second = offers[0]["technician"], offers[1]["technician"]
	cards = []
	for device, technician in ((phone, first), (another_phone, second)):
		logged_in_as(device, technician)
		open_tech(device)
		go_online(device)
		card = offer_card(device.page, booking)
		assert card.locator(".grab-offer").is_visible()  # in the pool: grab, no reject
		device.screenshot("pool")
		device.allow(r"status of 409 .*offers\.accept_offer")
		cards.append(card)
	started = time.monotonic()
	for card in cards:  # both tap at once (the second before the first has its answer)
		card.locator(".grab-offer").dispatch_event("click")

	winner = None
	while not winner and time.monotonic() - started < 20:
		winner = admin.get(f"/api/resource/HS Booking/{booking}").json()["data"].get("technician")
		time.sleep(0.2)
	assert winner in (first, second)
	won, lost = (phone, another_phone) if winner == first else (another_phone, phone)
	won.page.wait_for_url(re.compile(rf"pages/job/detail\?booking={booking}"))
	# the other was told it is gone: the server's 409, or the offer already withdrawn from the pool
	lost.page.wait_for_function(
		"(b) => [...document.querySelectorAll('.uni-modal')].some((m) => m.textContent.includes('订单已被抢走'))"
		" || !document.querySelector(`.offer[data-booking='${b}']`)",
		arg=booking,
	)
	won.screenshot("grabbed")
	lost.screenshot("gone")


def test_apply_with_a_certificate_and_staff_approve(phone, tech_fakes, ops):
	sms, _pay, _wechat = tech_fakes
	page = phone.page
	number = f"136{random.randrange(10**8):08d}"
	open_tech(phone, "pages/login/login?mode=apply")
	page.locator(".phone-input input").fill(number)
	page.locator(".consent").click()
	page.locator(".send-code").click()
	toast(page, "验证码已发送")
	page.locator(".code-input input").fill(wait_until(lambda: sms.last_code(number)))
	page.locator(".login-button").click()

	page.wait_for_url(re.compile(r"pages-apply/apply"))
	page.locator(".skill").first.wait_for()
	page.locator(".f-name input").fill("测试师傅")
	page.locator(".skill").first.click()
	page.locator(".area").first.click()
	id_number = f"{random.randrange(10**16, 10**17)}X"
	page.locator(".f-id input").fill(id_number)
	page.locator(".f-cert input").fill(f"JD-{secrets.token_hex(3)}")
	phone.screenshot("apply")
	page.locator(".submit-application").click()

	page.wait_for_url(re.compile(r"pages-apply/status"))
	page.locator(".review-status").filter(has_text="待审核").wait_for()
	documents = page.locator(".qualification")
	assert documents.count() == 2
	for i in range(2):
		with page.expect_file_chooser() as chooser:
			documents.nth(i).locator(".upload-certificate").click()
		chooser.value.set_files({"name": "certificate.png", "mimeType": "image/png", "buffer": png(24)})
		documents.nth(i).get_by_text("已上传证件照片").wait_for()
	phone.screenshot("certificates-uploaded")

	# the operations team reviews both documents in Desk (the Workflow's actions, through the API)
	technician = ok(TokenClient(session_token(page)).get(f"{API}technician.onboarding.application_status"))
	for row in technician["qualifications"]:
		doc = ops.get(f"/api/resource/HS Qualification/{row['name']}").json()["data"]
		file_url = doc["certificate_file"]
		assert file_url.startswith("/private/files/")  # the certificate stays private
		for action in ("Start Review", "Approve"):
			applied = ops.call("frappe.model.workflow.apply_workflow", doc=json.dumps(doc), action=action)
			assert applied.status_code == 200, applied.text
			doc = applied.json()["message"]
	page.reload()
	page.locator(".review-status").filter(has_text="已通过").wait_for()
	phone.screenshot("approved")
	page.locator(".to-workbench").click()
	page.locator(".online-switch").wait_for()
	page.locator(".review-note").wait_for(state="detached")  # approved: may go online

	# later, one more skill: a change the operations team reviews, not one made at once
	open_tech(phone, "pages-me/me")
	page.locator(".change-skill:not(.on)").first.click()
	page.locator(".request-change").click()
	page.locator(".change-pending").wait_for()
	phone.screenshot("change-requested")


def session_token(page) -> str:
	return json.loads(page.evaluate("localStorage.getItem('hs_tech:hs_session')"))["token"]


RECYCLING = {"latitude": 31.209441, "longitude": 121.52861}  # in a demo recycling collector's reach


def test_recycling_weigh_in_to_payout(phone, tech_fakes, admin):
	_sms, _pay, wechat = tech_fakes
	page = phone.page
	customer = wechat_customer(wechat)
	address = ok(
		customer.call(
			"home_service.api.customer.addresses.add_address",
			contact_name="回收测试",
			contact_phone="13800000001",
			city="上海市",
			district="浦东新区",
			detail_address="世纪大道100号",
			**RECYCLING,
		)
	)["address"]
	slots = ok(
		customer.get(f"{API}customer.bookings.get_slots", item="RECYCLE-01", address=address, quantity=10)
	)
	window = next(w["start"] for day in slots["days"] for w in day["windows"] if w["available"])
	booking = ok(
		customer.call(
			"home_service.api.customer.bookings.create_booking",
			items=[{"service_item": "RECYCLE-01", "quantity": 10}],
			address=address,
			window_start=window,
			idempotency_key=f"t-h5-recycle-{time.time_ns()}",
		)
	)["booking"]  # nothing to pay for a pickup: dispatched at once
	offer = pending_offer(admin, booking)
	client = logged_in_as(phone, offer["technician"])
	ok(client.call("home_service.api.technician.offers.accept_offer", offer=offer["name"]))
	ok(client.call("home_service.api.technician.jobs.depart", booking=booking))
	phone.context.set_geolocation(RECYCLING)

	open_tech(phone, f"pages/job/detail?booking={booking}")
	page.locator(".step-button").filter(has_text="到达打卡").click()
	page.locator(".weigh-in").click()
	page.wait_for_url(re.compile(r"pages-me/recycling"))
	lines = page.locator(".line")
	lines.first.wait_for()
	phone.screenshot("price-board")
	lines.nth(0).locator(".weight-input input").fill("3.5")
	with page.expect_file_chooser() as chooser:
		page.locator(".add-scale-photo").click()
	chooser.value.set_files({"name": "scale.png", "mimeType": "image/png", "buffer": png(24)})
	page.locator(".photo.done").wait_for()
	shown = page.locator(".payout-total").inner_text()
	assert re.fullmatch(r"¥\d+\.\d\d", shown) and shown != "¥0.00", shown
	phone.screenshot("weighed")
	page.locator(".submit-weighing").click()
	result = page.locator(".result")
	result.wait_for()
	assert result.locator(".result-total").inner_text() == shown  # what was shown is what is paid
	phone.screenshot("recorded")
	payout = ok(customer.get(f"{API}customer.payments.recycling_payout", booking=booking))
	assert f"¥{float(payout['amount']):,.2f}" == shown if payout["amount"] else payout["status"] == "Review"
