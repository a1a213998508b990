"""Paying for a booking from the mini-program: get the parameters for wx.requestPayment or
my.tradePay, then ask the server whether the provider confirmed the payment. And the other way:
where the platform's payment for a recycling pickup is."""

from typing import Literal
from urllib.parse import quote

import frappe
from frappe import _
from frappe.utils import get_url

from home_service.api.customer.scope import ROLE, current_customer, own_booking
from home_service.api.registry import endpoint
from home_service.billing import payments, recycling_payouts
from home_service.billing.gateways import checkout_gateway_names
from home_service.utils.money import money
from home_service.utils.text import InvalidInputError

TAG = "customer/payments"


# where a provider's H5 cashier sends the payer back: the booking's page in the H5 app at /m
H5_ORDER_PAGE = "/m#/pages/orders/detail?booking={booking}"


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def pay(
	booking: str, method: str = "WeChat Pay", platform: Literal["mini-program", "h5"] = "mini-program"
) -> dict:
	"""Start paying for a booking.

	In a mini-program, returns the parameters for `wx.requestPayment` (WeChat Pay: appId, timeStamp,
	nonceStr, package, signType, paySign) or `my.tradePay` (Alipay: tradeNO). With `platform` "h5" (a
	phone browser), returns `h5_url`: the provider's cashier (WeChat Pay H5, Alipay wap), which sends
	the payer back to the booking's page at /m. Both come with our `payment` and `out_trade_no`.
	Calling again (a double tap, a retry) returns the same order while it is open.
	"""
	if method not in checkout_gateway_names():
		frappe.throw(_("Unknown payment method: {0}").format(method), InvalidInputError)
	own_booking(booking, current_customer())
	h5 = None
	if platform == "h5":
		back = get_url(H5_ORDER_PAGE.format(booking=quote(booking, safe="")))
		h5 = payments.H5Checkout(return_url=back, client_ip=frappe.local.request_ip or "127.0.0.1")
	return payments.start_payment(booking, method, h5)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def confirm(booking: str) -> dict:
	"""After `requestPayment:ok`: the server asks the provider and answers with the payment status.

	The client's word is never proof of payment; only the provider's notification or this query is.
	"""
	doc = own_booking(booking, current_customer())
	status = payments.confirm_payment(doc.name)
	return {"booking": doc.name, "payment_status": status}


@endpoint(roles=ROLE, tag=TAG)
def recycling_payout(booking: str) -> dict:
	"""Where the money for my recycling pickup is: `payout_method` (Wallet / Transfer) and
	`payout_status` (Credited to Wallet, Pending, Processing, Waiting User Confirmation, Transferred).

	While a WeChat transfer waits for me to accept it, `confirm_params` ({mchId, appId, package}) is
	what `wx.requestMerchantTransfer` needs; a transfer that fails is credited to my wallet instead.
	Every field but `booking` is null until the collector has weighed the pickup.
	"""
	doc = own_booking(booking, current_customer())
	name = frappe.db.get_value("HS Recycling Pickup", {"booking": doc.name}, "name")
	if not name:
		return {
			"booking": doc.name,
			"status": None,
			"amount": None,
			"payout_method": None,
			"payout_status": None,
			"confirm_params": None,
		}
	pickup = frappe.get_doc("HS Recycling Pickup", name)
	return {
		"booking": doc.name,
		"status": pickup.status,
		"amount": f"{money(pickup.total_amount):.2f}",
		"payout_method": pickup.payout_method,
		"payout_status": pickup.payout_status or None,
		"confirm_params": recycling_payouts.confirm_params(pickup),
	}
