"""A verified payment notification acts as the provider's own user (billing/actors.py): the booking's
and the payment's activity name WeChat Pay, never Guest, while an unverified one changes nothing."""

import json

from conftest import book
from fakes import new_keypair
from mini_program import ok

PAY = "home_service.api.customer.payments.pay"
ACTOR = "wechatpay@system.home"


def get_list(admin, doctype: str, filters: list, fields: list) -> list[dict]:
	response = admin.get(
		f"/api/resource/{doctype}",
		filters=json.dumps(filters),
		fields=json.dumps(fields),
		limit_page_length=500,
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


def test_a_signed_notification_changes_things_as_wechat_pay_not_guest(world, admin):
	customer = world.customer()
	booking = book(customer)["booking"]
	params = ok(customer.call(PAY, booking=booking))
	paid = world.pay.user_pays(params["out_trade_no"])
	forged = world.pay.notification("TRANSACTION.SUCCESS", paid, sign_with=new_keypair())
	assert world.notify(*forged).status_code == 400
	assert world.notify(*world.pay.notification("TRANSACTION.SUCCESS", paid)).status_code == 204

	payment = get_list(admin, "HS Payment", [["booking", "=", booking]], ["name", "status", "modified_by"])
	assert len(payment) == 1 and payment[0]["status"] == "Paid", payment
	versions = get_list(
		admin,
		"Version",
		[
			["ref_doctype", "in", ["HS Booking", "HS Payment"]],
			["docname", "in", [booking, payment[0]["name"]]],
		],
		["ref_doctype", "docname", "owner", "data"],
	)
	paid_versions = [v for v in versions if "Paid" in v["data"]]
	# HS Booking tracks changes (HS Payment does not: its own fields and the ledger are its history)
	assert "HS Booking" in {v["ref_doctype"] for v in paid_versions}, versions
	assert {v["owner"] for v in paid_versions} == {ACTOR}, paid_versions
	assert "Guest" not in {v["owner"] for v in versions}
	assert payment[0]["modified_by"] == ACTOR
	row = get_list(admin, "HS Booking", [["name", "=", booking]], ["modified_by", "payment_status"])[0]
	assert row == {"modified_by": ACTOR, "payment_status": "Paid"}

	# the provider is a named, disabled user: the activity shows its name, nobody can log in as it
	user = get_list(admin, "User", [["name", "=", ACTOR]], ["full_name", "enabled"])
	assert user == [{"full_name": "微信支付", "enabled": 0}]
	logs = get_list(
		admin,
		"HS Payment Notification",
		[["reference", "=", params["out_trade_no"]]],
		["outcome", "owner"],
	)
	assert logs == [{"outcome": "Applied", "owner": ACTOR}]
