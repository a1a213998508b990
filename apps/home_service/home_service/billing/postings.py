"""The ledger transactions money events produce. Each key is derived from its voucher, so a retried
event posts nothing the second time."""

import frappe

from home_service.billing.accounts import Account
from home_service.billing.gateways import gateway_class
from home_service.billing.ledger import credit, debit, post

BOOKING = "HS Booking"


def clearing_account(gateway_name: str) -> str:
	"""Where a gateway's takings sit: the providers' balances, or cash and bank for Offline."""
	return gateway_class(gateway_name).clearing_account


def payment_captured(payment) -> bool:
	return post(
		f"{payment.name}:captured",
		[
			debit(clearing_account(payment.gateway), payment.amount_fen, "HS Payment", payment.name),
			credit(Account.CUSTOMER_PREPAID, payment.amount_fen, BOOKING, payment.booking),
		],
		"HS Payment",
		payment.name,
		booking=payment.booking,
		remarks=f"{payment.gateway} {payment.out_trade_no}",
	)


def refund_succeeded(refund) -> bool:
	gateway = frappe.db.get_value("HS Payment", refund.payment, "gateway")
	return post(
		f"{refund.name}:succeeded",
		[
			debit(Account.CUSTOMER_PREPAID, refund.amount_fen, BOOKING, refund.booking),
			credit(clearing_account(gateway), refund.amount_fen, "HS Payment", refund.payment),
		],
		"HS Refund",
		refund.name,
		booking=refund.booking,
		remarks=refund.out_refund_no,
	)


def cancellation_fee_kept(booking, fee_fen: int) -> bool:
	return post(
		f"{booking.name}:cancellation-fee",
		[
			debit(Account.CUSTOMER_PREPAID, fee_fen, BOOKING, booking.name),
			credit(Account.PLATFORM_REVENUE, fee_fen),
		],
		BOOKING,
		booking.name,
		booking=booking.name,
		remarks="cancellation fee",
	)


def cancellation_fee_returned(booking: str, fen: int, returned_total_fen: int) -> bool:
	"""Part of a kept cancellation fee given back (a refund of it succeeded): the platform's revenue pays
	it, so the refund's debit of Customer Prepaid is covered. Keyed by the total returned so far."""
	return post(
		f"{booking}:cancellation-fee-returned:{returned_total_fen}",
		[
			debit(Account.PLATFORM_REVENUE, fen),
			credit(Account.CUSTOMER_PREPAID, fen, BOOKING, booking),
		],
		BOOKING,
		booking,
		booking=booking,
		remarks="cancellation fee refunded",
	)
