"""Technician withdrawals: request against the available ledger balance, finance approval, payout.

    Pending Approval --approve--> Approved --transfer--> Processing | Waiting User Confirmation
        --provider SUCCESS--> Paid
        --provider FAIL / CANCELLED (final)--> Failed / Cancelled   (money back to Available)
    Pending Approval --reject--> Rejected                          (money back to Available)

A request locks the HS Technician row, reads Technician Available from the ledger and moves the
amount to Technician Payout Pending in the same transaction (`<withdrawal>:requested`), so concurrent
requests queue on the lock and the balance can never go below zero. The `out_bill_no` is minted with
the row, before any provider call, and is the only key ever sent for this withdrawal: after a 5xx or
a timeout the next attempt asks the provider about that key first and sends it again only when the
provider has no such transfer. Provider answers (the payout job, the query job and transfer
notifications) are applied under the technician and withdrawal row locks, once.
"""

from decimal import Decimal, InvalidOperation

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate

from home_service.billing.accounts import Account
from home_service.billing.earnings import locked_owed_fen
from home_service.billing.gateways import gateway_class, get_gateway, payout_gateway_names
from home_service.billing.gateways.base import Transfer, TransferState, field_mismatch
from home_service.billing.keys import mint
from home_service.billing.ledger import credit, debit, post, reverse
from home_service.billing.outcome import Outcome
from home_service.billing.payout_checks import attempt_transfer, due_transfers
from home_service.billing.settings import earnings_settings
from home_service.utils.batch import each_isolated
from home_service.utils.money import FEN, money, to_fen

WITHDRAWAL = "HS Withdrawal"
TECHNICIAN = "HS Technician"
APPROVERS = ("HS Finance", "System Manager")
OPEN = ("Approved", "Processing", "Waiting User Confirmation")
FINAL = ("Paid", "Failed", "Cancelled", "Rejected")
# withdrawals that count against the daily limit (a refused or failed one may be asked again)
COUNTED = ("Pending Approval", "Approved", "Processing", "Waiting User Confirmation", "Paid")


class WithdrawalError(frappe.ValidationError):
	http_status_code = 422


class InsufficientBalanceError(frappe.ValidationError):
	http_status_code = 409


class WithdrawalLimitError(frappe.ValidationError):
	http_status_code = 429


class WithdrawalStateError(frappe.ValidationError):
	http_status_code = 409


# --- request --------------------------------------------------------------------------------------
def available_fen(technician: str) -> int:
	"""The withdrawable balance; a locking read, so call it holding the technician row lock."""
	return locked_owed_fen(Account.TECHNICIAN_AVAILABLE, technician)


def request_withdrawal(technician: str, amount, gateway: str, idempotency_key: str):
	"""Create a withdrawal of `amount` yuan to `gateway`, or return the one this key created."""
	existing = _by_key(technician, idempotency_key)
	if existing:
		return existing
	amount_fen = _valid_amount(amount)
	validate_payout_gateway(gateway)
	tech = frappe.db.get_value(
		TECHNICIAN, technician, ["name", "technician_name"], as_dict=True, for_update=True
	)
	# a concurrent retry may have won the lock first (locking read: see its committed row)
	existing = _by_key(technician, idempotency_key, for_update=True)
	if existing:
		return existing
	payee_ref = gateway_class(gateway).technician_account(technician)
	if not payee_ref:
		frappe.throw(
			_("Log in with {0} in the technician app before withdrawing to it.").format(_(gateway)),
			WithdrawalError,
		)
	settings = earnings_settings()
	today = getdate(nowdate())
	table = frappe.qb.DocType(WITHDRAWAL)
	count = len(
		frappe.qb.from_(table)
		.select(table.name)
		.where(table.technician == technician)
		.where(table.status.isin(COUNTED))
		.where(table.requested_on >= today)
		.for_update()
		.run()
	)
	if count >= int(settings.withdrawals_per_day or 0):
		frappe.throw(
			_("You can withdraw at most {0} times a day.").format(settings.withdrawals_per_day),
			WithdrawalLimitError,
		)
	available = available_fen(technician)
	if amount_fen > available:
		frappe.throw(
			_("You can withdraw at most ¥{0} now.").format(money(available / 100)), InsufficientBalanceError
		)
	doc = frappe.get_doc(
		{
			"doctype": WITHDRAWAL,
			"technician": technician,
			"technician_name": tech.technician_name,
			"status": "Pending Approval",
			"amount": money(amount_fen / 100),
			"amount_fen": amount_fen,
			"gateway": gateway,
			"payee_ref": payee_ref,
			"out_bill_no": mint("WD"),
			"idempotency_key": idempotency_key,
			"requested_by": frappe.session.user,
			"requested_on": now_datetime(),
		}
	).insert(ignore_permissions=True)
	post(
		f"{doc.name}:requested",
		[
			debit(Account.TECHNICIAN_AVAILABLE, amount_fen, TECHNICIAN, technician),
			credit(Account.TECHNICIAN_PAYOUT, amount_fen, TECHNICIAN, technician),
		],
		WITHDRAWAL,
		doc.name,
		remarks=doc.out_bill_no,
	)
	return doc


def validate_payout_gateway(gateway: str) -> None:
	"""`gateway` is registered (hs_payment_gateways) and can send money out."""
	names = payout_gateway_names()
	if gateway not in names:
		frappe.throw(
			_("Withdraw to one of: {0}.").format(", ".join(_(name) for name in names)), WithdrawalError
		)


def _by_key(technician: str, key: str, for_update: bool = False):
	name = frappe.db.get_value(
		WITHDRAWAL, {"technician": technician, "idempotency_key": key}, "name", for_update=for_update
	)
	return frappe.get_doc(WITHDRAWAL, name, for_update=for_update) if name else None


def _valid_amount(amount) -> int:
	"""`amount` yuan (a number or a decimal string, at most two decimals) within the limits, in fen."""
	try:
		value = Decimal(str(amount).strip())
	except (InvalidOperation, ValueError):
		value = None
	if value is None or not value.is_finite() or value <= 0:
		frappe.throw(_("Enter the amount to withdraw in yuan, for example 100.00."), WithdrawalError)
	if value != value.quantize(FEN):
		frappe.throw(_("The amount can have at most two decimals."), WithdrawalError)
	settings = earnings_settings()
	if value < money(settings.withdrawal_minimum):
		frappe.throw(
			_("The minimum withdrawal is ¥{0}.").format(money(settings.withdrawal_minimum)), WithdrawalError
		)
	if money(settings.withdrawal_maximum) and value > money(settings.withdrawal_maximum):
		frappe.throw(
			_("The largest withdrawal is ¥{0}.").format(money(settings.withdrawal_maximum)), WithdrawalError
		)
	return to_fen(value)


# --- finance --------------------------------------------------------------------------------------
def require_approver() -> None:
	if not set(APPROVERS) & set(frappe.get_roles()):
		frappe.throw(_("Only finance can approve or reject withdrawals."), frappe.PermissionError)


def _locked(name: str):
	technician = frappe.db.get_value(WITHDRAWAL, name, "technician")
	if not technician:
		frappe.throw(_("Withdrawal {0} not found.").format(name), frappe.DoesNotExistError)
	frappe.db.get_value(TECHNICIAN, technician, "name", for_update=True)
	return frappe.get_doc(WITHDRAWAL, name, for_update=True)


def approve(name: str):
	"""Finance approves: the payout job sends the transfer once this commits."""
	require_approver()
	doc = _locked(name)
	if doc.status != "Pending Approval":
		frappe.throw(_("This withdrawal is not waiting for approval."), WithdrawalStateError)
	doc.db_set({"status": "Approved", "approved_by": frappe.session.user, "approved_on": now_datetime()})
	frappe.enqueue(
		"home_service.billing.withdrawals.submit_payout",
		name=doc.name,
		queue="short",
		job_id=f"hs-payout::{doc.name}",
		deduplicate=True,
		enqueue_after_commit=True,
	)
	return doc


def reject(name: str, reason: str):
	"""Finance rejects: the amount goes back to the technician's available balance."""
	require_approver()
	if not (reason or "").strip():
		frappe.throw(_("Give a reason for rejecting the withdrawal."), WithdrawalError)
	doc = _locked(name)
	if doc.status != "Pending Approval":
		frappe.throw(_("This withdrawal is not waiting for approval."), WithdrawalStateError)
	doc.db_set(
		{
			"status": "Rejected",
			"approved_by": frappe.session.user,
			"approved_on": now_datetime(),
			"reject_reason": reason.strip(),
			"finished_on": now_datetime(),
		}
	)
	_return_money(doc, "rejected")
	return doc


def _return_money(doc, why: str) -> None:
	reverse(f"{doc.name}:requested", f"{doc.name}:returned", remarks=f"{doc.out_bill_no} {why}")


# --- payout ---------------------------------------------------------------------------------------
def submit_payout(name: str) -> str:
	"""Send (or re-check) the transfer under the withdrawal's one out_bill_no and apply the answer."""
	doc = frappe.get_doc(WITHDRAWAL, name)
	if doc.status not in OPEN:
		return doc.status
	gateway = get_gateway(doc.gateway)
	result = attempt_transfer(
		WITHDRAWAL,
		doc.name,
		gateway,
		first_try=doc.status == "Approved" and not doc.attempts,
		attempts=doc.attempts or 0,
		out_bill_no=doc.out_bill_no,
		send=lambda: _send(gateway, doc),
		on_error={"status": "Processing" if doc.status == "Approved" else doc.status},
	)
	if result is None:
		return "Processing"
	return apply_transfer(doc.gateway, result)


def _send(gateway, doc) -> Transfer:
	remark = earnings_settings().transfer_remark or "服务佣金提现"
	return gateway.transfer(doc.out_bill_no, doc.payee_ref, doc.amount_fen, remark)


def apply_transfer(gateway_name: str, transfer: Transfer) -> str:
	"""Apply the answer to our own transfer call or query (see `transfer_outcome`)."""
	return transfer_outcome(gateway_name, transfer).result


def transfer_outcome(gateway_name: str, transfer: Transfer, notified: bool = False) -> Outcome:
	"""Apply a provider's transfer state once, under the technician and withdrawal locks.

	The provider must be talking about this withdrawal: our merchant, its amount, its payee. A
	notification lacking any field its protocol carries, or disagreeing, is held for review (the
	reason goes to `last_error`) and changes nothing.
	"""
	name = frappe.db.get_value(WITHDRAWAL, {"out_bill_no": transfer.out_bill_no}, "name")
	if not name:
		return Outcome("Unknown", "unknown out_bill_no")
	doc = _locked(name)
	if doc.gateway != gateway_name:
		return Outcome("Unknown", "gateway does not match")
	if doc.status in FINAL:
		return Outcome("Duplicate", f"withdrawal already {doc.status}")
	if doc.status == "Pending Approval":
		return Outcome(doc.status, "nothing was sent for an unapproved withdrawal")
	reason = transfer_mismatch(gateway_name, transfer, doc.amount_fen, doc.payee_ref, notified)
	if reason:
		doc.db_set("last_error", _("Provider answer held for review: {0}").format(reason))
		return Outcome("Review", reason)
	return Outcome(_apply_state(doc, transfer), f"transfer {transfer.state}")


def transfer_mismatch(
	gateway_name: str, transfer: Transfer, amount_fen: int, payee_ref: str, notified: bool
) -> str | None:
	"""Shared with recycling transfers: identity from the gateway, then amount (always stated in a
	notification) and payee (where the provider names it)."""
	if transfer.state == "NOT_FOUND":
		return None
	return (
		get_gateway(gateway_name).foreign_reason(transfer, notified=notified)
		or field_mismatch([("transfer amount", transfer.amount_fen, amount_fen)], notified)
		or field_mismatch([("payee", transfer.payee_ref, payee_ref)], notified=False)
	)


def _apply_state(doc, transfer: Transfer) -> str:
	state = transfer.state
	if state == TransferState.SUCCESS:
		doc.db_set(
			{
				"status": "Paid",
				"transfer_bill_no": transfer.bill_no or doc.transfer_bill_no,
				"package_info": None,
				"finished_on": now_datetime(),
				"last_error": None,
			}
		)
		post(
			f"{doc.name}:paid",
			[
				debit(Account.TECHNICIAN_PAYOUT, doc.amount_fen, TECHNICIAN, doc.technician),
				credit(Account.PROVIDER_CLEARING, doc.amount_fen, WITHDRAWAL, doc.name),
			],
			WITHDRAWAL,
			doc.name,
			remarks=doc.out_bill_no,
		)
		return "Paid"
	if state in (TransferState.FAIL, TransferState.CANCELLED):
		doc.db_set(
			{
				"status": "Failed" if state == TransferState.FAIL else "Cancelled",
				"transfer_bill_no": transfer.bill_no or doc.transfer_bill_no,
				"fail_reason": transfer.fail_reason or state,
				"package_info": None,
				"finished_on": now_datetime(),
			}
		)
		_return_money(doc, state.lower())
		return doc.status
	if state == TransferState.WAIT_USER_CONFIRM:
		doc.db_set(
			{
				"status": "Waiting User Confirmation",
				"transfer_bill_no": transfer.bill_no or doc.transfer_bill_no,
				"package_info": transfer.package_info or doc.package_info,
				"last_error": None,
			}
		)
		return doc.status
	if state == "NOT_FOUND":
		return doc.status
	doc.db_set(
		{
			"status": "Processing",
			"transfer_bill_no": transfer.bill_no or doc.transfer_bill_no,
			"last_error": None,
		}
	)
	return "Processing"


def on_transfer_notification(gateway_name: str, transfer: Transfer) -> Outcome | None:
	"""`hs_on_transfer_notification` hook: a verified MCHTRANSFER.BILL.FINISHED (or Alipay) notice.

	None when the out_bill_no is not a withdrawal's (another handler's, e.g. a recycling payout).
	"""
	if not frappe.db.exists(WITHDRAWAL, {"out_bill_no": transfer.out_bill_no}):
		return None
	return transfer_outcome(gateway_name, transfer, notified=True)


def retry_payouts(limit: int = 50) -> int:
	"""Scheduled: send approved transfers the enqueue missed, re-check open ones with their key
	(every minute at first, then every half hour until the provider says final)."""
	names = due_transfers(WITHDRAWAL, "status", OPEN, limit)
	for name in names:
		each_isolated(submit_payout, name)
	return len(names)


def confirm_params(doc) -> dict | None:
	"""What the technician app passes to wx.requestMerchantTransfer while the transfer waits."""
	if doc.status != "Waiting User Confirmation" or not doc.package_info:
		return None
	return merchant_transfer_params(doc.package_info)


def merchant_transfer_params(package_info: str) -> dict:
	"""{mchId, appId, package} for wx.requestMerchantTransfer (a WeChat transfer the payee accepts)."""
	from home_service.billing.gateways.settings import payment_settings
	from home_service.billing.gateways.wechatpay import frappe_wechat_appid

	settings = payment_settings()
	return {
		"mchId": settings.wechatpay_mchid,
		"appId": settings.wechatpay_appid or frappe_wechat_appid(),
		"package": package_info,
	}
