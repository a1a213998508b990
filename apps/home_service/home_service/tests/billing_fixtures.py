"""Bookings ready to pay, and shortcuts through the gateway fakes for billing tests."""

import frappe

from home_service.billing.notifications import handle
from home_service.billing.payments import start_payment
from home_service.devtools.records import ledger_rows, payable_booking
from home_service.tests.technician_fixtures import booking_for


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
