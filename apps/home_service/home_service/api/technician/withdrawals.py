"""My withdrawals: ask to be paid out of my available balance, follow them, confirm WeChat transfers.

A WeChat Pay transfer waits for me to accept it: while a withdrawal is `Waiting User Confirmation`,
its detail carries `confirm_params` ({mchId, appId, package}) for `wx.requestMerchantTransfer`.
"""

import re

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from home_service.api.registry import endpoint, page_args, paged
from home_service.api.technician.scope import ROLE, amount, current_technician, own_row
from home_service.billing import withdrawals
from home_service.billing.gateways import WECHAT_PAY

TAG = "technician/withdrawals"
KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
HEADERS = ("Idempotency-Key", "X-Idempotency-Key")
STATUSES = (
	"Pending Approval",
	"Approved",
	"Processing",
	"Waiting User Confirmation",
	"Paid",
	"Failed",
	"Cancelled",
	"Rejected",
)
FIELDS = [
	"name",
	"status",
	"amount",
	"gateway",
	"out_bill_no",
	"requested_on",
	"finished_on",
	"fail_reason",
	"reject_reason",
	"package_info",
]


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def withdraw(amount: str, gateway: str = WECHAT_PAY, idempotency_key: str | None = None) -> dict:
	"""Withdraw `amount` yuan ("100.00") from my available balance to WeChat Pay or Alipay.

	Send an Idempotency-Key header (8–64 letters, digits or `_.:-`), new for every withdrawal I
	mean to make: a retry with the same key returns the same withdrawal (`replayed: true`). Finance
	approves it before the money is sent. 409 when the balance is too small, 429 past the daily limit.
	"""
	technician = current_technician(approved=False)
	key = idempotency_key
	for header in HEADERS:
		key = key or request_header(header)
	if not key or not isinstance(key, str) or not KEY.match(key):
		frappe.throw(_("Send an Idempotency-Key (8 to 64 letters, digits or _.:-) with every withdrawal."))
	began = now_datetime()
	doc = withdrawals.request_withdrawal(technician.name, amount, gateway, key)
	return {**shape(doc), "replayed": get_datetime(doc.creation) < began}


@endpoint(roles=ROLE, tag=TAG)
def list_withdrawals(status: str | None = None, page: int = 1, page_size: int = 20) -> dict:
	"""My withdrawals, newest first (optionally one `status`)."""
	technician = current_technician(approved=False)
	filters = {"technician": technician.name}
	if status:
		if status not in STATUSES:
			frappe.throw(_("status must be one of: {0}.").format(", ".join(STATUSES)))
		filters["status"] = status
	start, length = page_args(page, page_size)
	rows = frappe.get_all(
		"HS Withdrawal",
		filters=filters,
		fields=FIELDS,
		order_by="creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	total = frappe.db.count("HS Withdrawal", filters)
	return paged([shape(row, detail=False) for row in rows], total, start, length)


@endpoint(roles=ROLE, tag=TAG)
def get_withdrawal(withdrawal: str) -> dict:
	"""One of my withdrawals; `confirm_params` while WeChat waits for me to accept the transfer."""
	technician = current_technician(approved=False)
	row = own_row("HS Withdrawal", withdrawal, technician.name, _("Withdrawal"), FIELDS)
	return shape(frappe.get_doc("HS Withdrawal", row.name))


def request_header(name: str) -> str | None:
	request = getattr(frappe.local, "request", None)
	return request.headers.get(name) if request is not None else None


def shape(doc, detail: bool = True) -> dict:
	out = {
		"name": doc.name,
		"status": doc.status,
		"amount": amount(doc.amount),
		"currency": "CNY",
		"gateway": doc.gateway,
		"out_bill_no": doc.out_bill_no,
		"requested_on": str(doc.requested_on) if doc.requested_on else None,
		"finished_on": str(doc.finished_on) if doc.finished_on else None,
		"fail_reason": doc.fail_reason or doc.reject_reason or None,
	}
	if detail:
		out["confirm_params"] = withdrawals.confirm_params(doc)
	return out
