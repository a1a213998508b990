"""Bookings ready to pay, and shortcuts through the gateway fakes for billing tests."""

import frappe

from home_service.billing.notifications import handle
from home_service.billing.payments import start_payment
from home_service.tests.factories import make_booking, make_customer, uid
from home_service.tests.technician_fixtures import booking_for


def payable_booking(**kw):
	"""An unpaid booking whose customer has logged in with both WeChat and Alipay."""
	customer = make_customer(wechat_openid="o" + uid(), alipay_user_id="2088" + uid())
	return make_booking(customer=customer, **kw)


def stage_offline_booking(user: str = "tech@demo.home") -> dict:
	"""An unpaid phone order (channel Offline) that the technician of `user` could take, on a running
	site (the HTTP and browser suites call it through `bench execute`, which commits)."""
	technician = frappe.db.get_value("HS Technician", {"user": user}, "name")
	doc = booking_for(technician, source_channel="Offline")
	return {"booking": doc.name, "grand_total": f"{doc.grand_total:.2f}"}


def pay_with_wechat(fake, booking) -> dict:
	"""Open the order, let the customer pay in the fake, deliver the notification; the params."""
	params = start_payment(booking.name, "WeChat Pay")
	headers, body = fake.paid_notification(params["out_trade_no"])
	response = handle("WeChat Pay", headers, body)
	assert response.status_code == 204, response.get_data(as_text=True)
	booking.reload()
	return params


def ledger_rows(booking: str) -> list:
	return frappe.get_all(
		"HS Ledger Entry",
		filters={"booking": booking},
		fields=["posting_key", "account", "amount_fen", "party"],
		order_by="posting_key, line_no",
	)
