"""Technicians with payout identities, completed bookings with earnings, settings for money tests."""

from contextlib import contextmanager
from decimal import Decimal

import frappe
from frappe.utils import add_days, now_datetime

from home_service.billing import earnings
from home_service.billing.accounts import Account
from home_service.billing.ledger import ENTRY, credit, debit, post
from home_service.billing.settings import DEFAULTS
from home_service.booking.lifecycle import Status
from home_service.tests.factories import advance, make_booking, make_technician, uid

SETTINGS = "HS Earnings Settings"


@contextmanager
def earnings_settings(**values):
	"""Set HS Earnings Settings for the block (inside the test's transaction) and restore them."""
	doc = frappe.get_doc(SETTINGS)
	previous = {key: DEFAULTS.get(key) if doc.get(key) is None else doc.get(key) for key in values}
	stored = set(frappe.db.sql("select field from tabSingles where doctype = %s", SETTINGS, pluck=True))
	doc.update({key: value for key, value in DEFAULTS.items() if doc.get(key) is None})
	doc.update(values)
	doc.save(ignore_permissions=True)
	try:
		yield doc
	finally:
		doc = frappe.get_doc(SETTINGS)
		doc.update({key: value for key, value in DEFAULTS.items() if doc.get(key) is None})
		doc.update(previous)
		doc.save(ignore_permissions=True)
		for key in values:
			if key not in stored:
				frappe.db.delete("Singles", {"doctype": SETTINGS, "field": key})
		frappe.clear_document_cache(SETTINGS, SETTINGS)


def payout_technician(**kw) -> str:
	"""An approved technician who logged in with WeChat and Alipay (payees for withdrawals)."""
	return make_technician(wechat_openid="o" + uid(), alipay_user_id="2088" + uid(), **kw)


def completed_booking(technician: str | None = None, **kw):
	"""A booking walked to Completed (paid in full on the way) by `technician`."""
	technician = technician or payout_technician()
	doc = advance(make_booking(**kw), Status.AWAITING_CONFIRMATION, technician=technician)
	# paid the way billing/payments.py records it: the booking's amount and the captured posting
	frappe.db.set_value("HS Booking", doc.name, {"paid_amount": doc.grand_total, "payment_status": "Paid"})
	fen = int(Decimal(str(doc.grand_total)) * 100)
	post(
		f"test-paid:{doc.name}",
		[
			debit(Account.PROVIDER_CLEARING, fen),
			credit(Account.CUSTOMER_PREPAID, fen, "HS Booking", doc.name),
		],
		booking=doc.name,
	)
	doc.reload()
	return doc.transition_to(Status.COMPLETED)


def fund(technician: str, fen: int, key: str | None = None) -> str:
	"""Give `technician` withdrawable money the way settlement does (a balanced posting)."""
	key = key or f"test-fund:{uid()}"
	post(
		key,
		[
			debit(Account.TECHNICIAN_PENDING, fen, "HS Technician", technician),
			credit(Account.TECHNICIAN_AVAILABLE, fen, "HS Technician", technician),
		],
		remarks="test funding",
	)
	# the pending side is funded too, so every account of the technician stays consistent
	post(
		key + ":earned",
		[
			debit(Account.PLATFORM_REVENUE, fen),
			credit(Account.TECHNICIAN_PENDING, fen, "HS Technician", technician),
		],
		remarks="test funding",
	)
	return key


def make_due(earning: str) -> None:
	frappe.db.set_value(
		earnings.EARNING, earning, "settle_after", add_days(now_datetime(), -1), update_modified=False
	)


def entries(**filters) -> list:
	return frappe.get_all(
		ENTRY,
		filters=filters,
		fields=["posting_key", "account", "amount_fen", "party_type", "party", "booking"],
		order_by="posting_key, line_no",
	)
