"""The contract every payment gateway implements, and the plain values that cross it.

A gateway turns our intents (HS Payment, HS Refund, a payout) into provider calls and provider
answers (synchronous responses and webhooks) into the states below. It never touches bookings or
the ledger: billing/payments.py and billing/refunds.py apply states under row locks.
"""

from dataclasses import dataclass, field

import frappe

from home_service.billing.accounts import Account


class GatewayError(frappe.ValidationError):
	"""The provider refused or could not be reached; the caller may retry with the same key."""

	http_status_code = 502


class GatewayNotConfiguredError(frappe.ValidationError):
	http_status_code = 422


class NotificationRejected(Exception):
	"""A webhook that must not change anything: bad signature, stale, malformed, foreign."""

	def __init__(self, reason: str, notification_id: str | None = None):
		super().__init__(reason)
		self.reason = reason
		self.notification_id = notification_id


class TradeState:
	PAID = "PAID"
	NOT_PAID = "NOT_PAID"
	CLOSED = "CLOSED"
	REFUNDED = "REFUNDED"
	NOT_FOUND = "NOT_FOUND"


class RefundState:
	SUCCESS = "SUCCESS"
	PROCESSING = "PROCESSING"
	FAILED = "FAILED"  # money did not move; retried with the same key


class TransferState:
	ACCEPTED = "ACCEPTED"
	WAIT_USER_CONFIRM = "WAIT_USER_CONFIRM"
	PROCESSING = "PROCESSING"
	SUCCESS = "SUCCESS"
	FAIL = "FAIL"
	CANCELLED = "CANCELLED"
	FINAL = frozenset({"SUCCESS", "FAIL", "CANCELLED"})


@dataclass
class Trade:
	"""A payment as the provider reports it (query answer or verified notification)."""

	out_trade_no: str
	state: str
	transaction_id: str | None = None
	amount_fen: int | None = None
	currency: str | None = None
	app_id: str | None = None
	merchant_id: str | None = None
	payer_ref: str | None = None


@dataclass
class Refund:
	out_refund_no: str
	state: str
	refund_id: str | None = None
	amount_fen: int | None = None
	out_trade_no: str | None = None  # the payment refunded, when the provider says
	total_fen: int | None = None  # that payment's amount, when the provider says
	merchant_id: str | None = None


@dataclass
class Transfer:
	out_bill_no: str
	state: str
	bill_no: str | None = None
	package_info: str | None = None
	fail_reason: str | None = None
	amount_fen: int | None = None
	payee_ref: str | None = None
	merchant_id: str | None = None


PRESENT = object()  # an expected value meaning "must be there", whatever it is


def field_mismatch(checks: list[tuple[str, object, object]], notified: bool) -> str | None:
	"""The first (label, reported, expected) that is wrong, as a reason; None when all agree.

	A notification must carry every field its protocol defines (a missing one is a mismatch, never
	a pass); a query answer is our own signed request's reply and is compared where it has a field.
	"""
	for label, reported, expected in checks:
		if reported is None or reported == "":
			if notified:
				return f"{label} is missing"
			continue
		if expected is not PRESENT and reported != expected:
			return f"{label} does not match"
	return None


@dataclass
class Notification:
	"""A webhook whose signature and freshness were verified; `trade`/`refund`/`transfer` is set."""

	notification_id: str
	event_type: str
	trade: Trade | None = None
	refund: Refund | None = None
	transfer: Transfer | None = None
	extra: dict = field(default_factory=dict)


class PaymentGateway:
	"""Subclasses implement the calls their provider supports.

	Who pays and who is paid are found by the gateway itself (a plugin may know its users by phone
	number, a wallet id in its own table, ...). The defaults read `account_field` on HS Customer and
	HS Technician; they are class methods, so a withdrawal can be checked before the provider's
	credentials are entered.
	"""

	name = ""
	account_field = ""  # HS Customer / HS Technician field with the person's account at this provider
	customer_checkout = True  # customers may choose it in the mini-program (not: Offline, staff record it)
	clearing_account = Account.PROVIDER_CLEARING  # where the ledger holds the money it collected

	@classmethod
	def customer_account(cls, customer: str) -> str | None:
		"""The customer's account at this provider: who pays, and who a recycling transfer goes to."""
		return cls._account_of("HS Customer", customer)

	@classmethod
	def technician_account(cls, technician: str) -> str | None:
		"""The technician's account a withdrawal is sent to."""
		return cls._account_of("HS Technician", technician)

	@classmethod
	def _account_of(cls, doctype: str, name: str) -> str | None:
		if not cls.account_field:
			return None
		return frappe.db.get_value(doctype, name, cls.account_field) or None

	@classmethod
	def can_transfer(cls) -> bool:
		"""Whether this provider pays money out (withdrawals, recycling transfers)."""
		return cls.transfer is not PaymentGateway.transfer

	def create_order(self, payment, payer_ref: str, description: str) -> tuple[str, dict]:
		"""Open the provider order for `payment`: (provider order ref, params the mini-program needs)."""
		raise NotImplementedError

	def create_h5_order(self, payment, description: str, client_ip: str, return_url: str) -> tuple[str, dict]:
		"""Open the provider order for paying in a phone browser (no mini-program, no payer account):
		(provider order ref, {"h5_url": where the browser goes to pay}). The provider's cashier sends the
		payer back to `return_url`; only its notification or a query says the order is paid."""
		raise NotImplementedError

	@classmethod
	def pays_on_h5(cls) -> bool:
		"""Whether a phone browser can pay with this gateway (H5 / wap cashier)."""
		return cls.create_h5_order is not PaymentGateway.create_h5_order

	def query_order(self, out_trade_no: str) -> Trade:
		raise NotImplementedError

	def close_order(self, out_trade_no: str) -> None:
		raise NotImplementedError

	def refund(self, refund, payment) -> Refund:
		raise NotImplementedError

	def query_refund(self, refund, payment) -> Refund:
		raise NotImplementedError

	def transfer(
		self, out_bill_no: str, payee_ref: str, amount_fen: int, remark: str, purpose: str = "earnings"
	) -> Transfer:
		"""Pay `amount_fen` to `payee_ref`; `purpose` ("earnings", "recycling") picks the provider's
		transfer scene where it has them."""
		raise NotImplementedError

	def query_transfer(self, out_bill_no: str) -> Transfer:
		raise NotImplementedError

	def parse_notification(self, headers: dict, body: bytes) -> Notification:
		"""Verify and decode a webhook, or raise NotificationRejected."""
		raise NotImplementedError

	def acknowledge(self, ok: bool, message: str = ""):
		"""The HTTP answer the provider expects (a werkzeug Response)."""
		raise NotImplementedError

	def foreign_reason(self, item: Trade | Refund | Transfer, notified: bool = True) -> str | None:
		"""Why a verified trade, refund or transfer is not for our merchant/app/currency, or None.

		With `notified` (a webhook) every identity field the provider's notification carries must be
		present; billing then compares amounts and references with its own rows.
		"""
		return None
