"""Paying for a booking from the mini-program: get the parameters for wx.requestPayment or
my.tradePay, then ask the server whether the provider confirmed the payment."""

import frappe
from frappe import _

from home_service.api.customer.scope import ROLE, current_customer, own_booking
from home_service.api.registry import endpoint
from home_service.billing import payments
from home_service.billing.gateways import gateway_names
from home_service.utils.text import InvalidInputError

TAG = "customer/payments"


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def pay(booking: str, method: str = "WeChat Pay") -> dict:
	"""Start paying for a booking.

	Returns the parameters for `wx.requestPayment` (WeChat Pay: appId, timeStamp, nonceStr, package,
	signType, paySign) or `my.tradePay` (Alipay: tradeNO), plus our `payment` and `out_trade_no`.
	Calling again (a double tap, a retry) returns the same order while it is open.
	"""
	if method not in gateway_names():
		frappe.throw(_("Unknown payment method: {0}").format(method), InvalidInputError)
	own_booking(booking, current_customer())
	return payments.start_payment(booking, method)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def confirm(booking: str) -> dict:
	"""After `requestPayment:ok`: the server asks the provider and answers with the payment status.

	The client's word is never proof of payment; only the provider's notification or this query is.
	"""
	doc = own_booking(booking, current_customer())
	status = payments.confirm_payment(doc.name)
	return {"booking": doc.name, "payment_status": status}
