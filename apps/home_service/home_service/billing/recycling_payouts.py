"""Recycling money paid by transfer (WeChat Pay change, Alipay balance, a plugin gateway), not the wallet.

    Paid pickup --start_transfer--> Pending --transfer--> Processing | Waiting User Confirmation
        --provider SUCCESS--> Transferred                      (Customer Payout Pending → provider)
        --provider FAIL / CANCELLED (final)--> Credited to Wallet   (Customer Payout Pending → wallet)

When the pickup is paid, `recycling.pay` credits Customer Payout Pending and `start_transfer` mints
the one `out_bill_no` this pickup will ever use, before any provider call. The job sends it after
that commits; a 5xx or a timeout leaves it Processing and the next attempt asks the provider about
the same key first, sending again only when the provider has no such transfer. Answers (the job,
the query job, notifications) are applied once under the customer and pickup row locks, and a
transfer that finally fails still pays the customer — into the wallet — so nobody is paid twice or
never.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.billing.accounts import Account
from home_service.billing.gateways import get_gateway
from home_service.billing.gateways.base import Transfer, TransferState
from home_service.billing.keys import mint
from home_service.billing.ledger import credit, debit, post
from home_service.billing.outcome import Outcome
from home_service.billing.payout_checks import attempt_transfer, due_transfers
from home_service.billing.withdrawals import transfer_mismatch
from home_service.utils.batch import each_isolated

PICKUP, CUSTOMER = "HS Recycling Pickup", "HS Customer"
OPEN = ("Pending", "Processing", "Waiting User Confirmation")
REMARK = "上门回收货款"


def start_transfer(pickup_name: str) -> dict:
	"""The payout fields of a pickup being paid by transfer; the job sends it after the commit."""
	frappe.enqueue(
		"home_service.billing.recycling_payouts.submit_transfer",
		name=pickup_name,
		queue="short",
		job_id=f"hs-recycling-transfer::{pickup_name}",
		deduplicate=True,
		enqueue_after_commit=True,
	)
	return {"out_bill_no": mint("RC"), "payout_status": "Pending", "attempts": 0}


def submit_transfer(name: str) -> str:
	"""Send (or re-check) the pickup's transfer under its one out_bill_no and apply the answer."""
	row = frappe.db.get_value(
		PICKUP,
		name,
		[
			"payout_method",
			"payout_status",
			"payout_gateway",
			"out_bill_no",
			"payee_ref",
			"total_fen",
			"attempts",
		],
		as_dict=True,
	)
	if not row or row.payout_method != "Transfer" or row.payout_status not in OPEN:
		return row.payout_status if row else "Unknown"
	gateway = get_gateway(row.payout_gateway)
	result = attempt_transfer(
		PICKUP,
		name,
		gateway,
		first_try=row.payout_status == "Pending" and not row.attempts,
		attempts=row.attempts or 0,
		out_bill_no=row.out_bill_no,
		send=lambda: _send(gateway, row),
		on_error={"payout_status": "Processing" if row.payout_status == "Pending" else row.payout_status},
	)
	if result is None:
		return "Processing"
	return transfer_outcome(row.payout_gateway, result).result


def _send(gateway, row) -> Transfer:
	return gateway.transfer(row.out_bill_no, row.payee_ref, row.total_fen, REMARK, purpose="recycling")


def transfer_outcome(gateway_name: str, transfer: Transfer, notified: bool = False) -> Outcome:
	"""Apply a provider's transfer state once, under the customer and pickup row locks."""
	name = frappe.db.get_value(PICKUP, {"out_bill_no": transfer.out_bill_no}, "name")
	if not name:
		return Outcome("Unknown", "unknown out_bill_no")
	customer = frappe.db.get_value(PICKUP, name, "customer")
	frappe.db.get_value(CUSTOMER, customer, "name", for_update=True)
	pickup = frappe.get_doc(PICKUP, name, for_update=True)
	if pickup.payout_gateway != gateway_name:
		return Outcome("Unknown", "gateway does not match")
	if pickup.payout_status not in OPEN:
		return Outcome("Duplicate", f"payout already {pickup.payout_status}")
	reason = transfer_mismatch(gateway_name, transfer, pickup.total_fen, pickup.payee_ref, notified)
	if reason:
		pickup.db_set("last_error", _("Provider answer held for review: {0}").format(reason))
		return Outcome("Review", reason)
	return Outcome(_apply_state(pickup, transfer), f"transfer {transfer.state}")


def _apply_state(pickup, transfer: Transfer) -> str:
	state = transfer.state
	bill_no = transfer.bill_no or pickup.transfer_bill_no
	if state == TransferState.SUCCESS:
		_settle(pickup, "transferred", Account.PROVIDER_CLEARING, PICKUP, pickup.name)
		pickup.db_set(
			{
				"payout_status": "Transferred",
				"transfer_bill_no": bill_no,
				"package_info": None,
				"last_error": None,
				"payout_finished_on": now_datetime(),
			}
		)
	elif state in (TransferState.FAIL, TransferState.CANCELLED):
		# the money is still the customer's: it goes to their wallet instead, once
		_settle(pickup, "to-wallet", Account.CUSTOMER_WALLET, CUSTOMER, pickup.customer)
		pickup.db_set(
			{
				"payout_status": "Credited to Wallet",
				"transfer_bill_no": bill_no,
				"fail_reason": transfer.fail_reason or state,
				"package_info": None,
				"payout_finished_on": now_datetime(),
			}
		)
	elif state == TransferState.WAIT_USER_CONFIRM:
		pickup.db_set(
			{
				"payout_status": "Waiting User Confirmation",
				"transfer_bill_no": bill_no,
				"package_info": transfer.package_info or pickup.package_info,
				"last_error": None,
			}
		)
	elif state != "NOT_FOUND":
		pickup.db_set({"payout_status": "Processing", "transfer_bill_no": bill_no, "last_error": None})
	return pickup.payout_status


def _settle(pickup, step: str, account: str, party_type: str, party: str) -> None:
	post(
		f"{pickup.name}:recycling-{step}",
		[
			debit(Account.CUSTOMER_PAYOUT, pickup.total_fen, CUSTOMER, pickup.customer),
			credit(account, pickup.total_fen, party_type, party),
		],
		PICKUP,
		pickup.name,
		booking=pickup.booking,
		remarks=pickup.out_bill_no,
	)


def on_transfer_notification(gateway_name: str, transfer: Transfer) -> Outcome | None:
	"""`hs_on_transfer_notification` hook: None when the out_bill_no is not a recycling payout's."""
	if not frappe.db.exists(PICKUP, {"out_bill_no": transfer.out_bill_no}):
		return None
	return transfer_outcome(gateway_name, transfer, notified=True)


def retry_transfers(limit: int = 50) -> int:
	"""Scheduled: send transfers the enqueue missed and re-check open ones with their key."""
	names = due_transfers(PICKUP, "payout_status", OPEN, limit)
	for name in names:
		each_isolated(submit_transfer, name)
	return len(names)


def confirm_params(pickup) -> dict | None:
	"""What the customer's mini-program passes to wx.requestMerchantTransfer while the transfer waits."""
	if pickup.payout_status != "Waiting User Confirmation" or not pickup.package_info:
		return None
	from home_service.billing.withdrawals import merchant_transfer_params

	return merchant_transfer_params(pickup.package_info)
