"""Alipay mini-program payments on python-alipay-sdk (RSA2): trade.create / query / close / refund,
fund transfer, and the form-encoded async notification.

The app keys are the ones login uses (HS Settings); the gateway is `hs_alipay_gateway` from site
config, so tests point it at a local fake. Notifications are verified over the decoded form fields
without `sign` and `sign_type`, and only TRADE_SUCCESS / TRADE_FINISHED count as paid.
"""

from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig
from werkzeug.wrappers import Response

import frappe
from frappe import _
from frappe.utils import get_datetime

from home_service.billing.gateways.base import (
	PRESENT,
	GatewayError,
	Notification,
	NotificationRejected,
	PaymentGateway,
	Refund,
	RefundState,
	Trade,
	TradeState,
	Transfer,
	TransferState,
	field_mismatch,
)
from home_service.billing.gateways.settings import notify_url, payment_settings, read_timeout, require
from home_service.integrations.alipay.client import DEFAULT_GATEWAY, pem_key
from home_service.integrations.base import conf_url, log_provider_failure
from home_service.utils.db_retry import outside_effect

PROVIDER = "Alipay"
TRADE_STATES = {
	"TRADE_SUCCESS": TradeState.PAID,
	"TRADE_FINISHED": TradeState.PAID,
	"WAIT_BUYER_PAY": TradeState.NOT_PAID,
	"TRADE_CLOSED": TradeState.CLOSED,
}
TRANSFER_STATES = {
	"SUCCESS": TransferState.SUCCESS,
	"DEALING": TransferState.PROCESSING,
	"WAIT_PAY": TransferState.PROCESSING,
	"FAIL": TransferState.FAIL,
	"CLOSED": TransferState.CANCELLED,
	"REFUND": TransferState.FAIL,
}


def yuan(fen: int) -> str:
	return f"{Decimal(int(fen)) / 100:.2f}"


def fen(value) -> int | None:
	"""Yuan ("88.80") as fen; None for anything that is not a finite amount below 10^11 yuan (a
	signed notification's "1e999999" would otherwise overflow or make a number of a million digits)."""
	try:
		amount = Decimal(str(value))
		if not amount.is_finite() or abs(amount) >= 10**11:
			return None
		return int((amount * 100).to_integral_exact())
	except (ArithmeticError, TypeError, ValueError):  # ArithmeticError: decimal's InvalidOperation too
		return None


def _subject(description: str) -> str:
	return description.replace("/", " ").replace("=", " ").replace("&", " ")[:128]


class AlipayGateway(PaymentGateway):
	name = PROVIDER
	account_field = "alipay_user_id"

	def __init__(self):
		settings = frappe.get_cached_doc("HS Settings")
		private_key = settings.get_password("alipay_private_key", raise_exception=False)
		self.appid = settings.alipay_appid
		self.seller_id = payment_settings().alipay_seller_id
		require(
			{"appid": self.appid, "private_key": private_key, "public_key": settings.alipay_public_key},
			PROVIDER,
		)
		self._sdk = AliPay(
			appid=self.appid,
			app_private_key_string=pem_key(private_key, private=True),
			alipay_public_key_string=pem_key(settings.alipay_public_key, private=False),
			sign_type="RSA2",
			config=AliPayConfig(timeout=read_timeout()),
		)
		self._sdk._gateway = conf_url("hs_alipay_gateway", DEFAULT_GATEWAY)

	def __repr__(self) -> str:
		return f"<AlipayGateway {self.appid}>"

	def _call(self, method: str, biz_content: dict, **params) -> dict:
		"""The verified inner response (which may carry a business error code)."""
		outside_effect(f"{PROVIDER} {method}")
		failure = None
		try:
			return self._sdk.server_api(method, biz_content, **params)
		except AliPayValidationError:
			failure = "answer signature did not verify"
		except AliPayException as exc:
			failure = f"error code {getattr(exc, '_AliPayException__code', '?')}"
		except Exception as exc:
			failure = f"unreachable ({type(exc).__name__})"
		log_provider_failure(PROVIDER, f"{method}: {failure}")
		raise GatewayError(_("Alipay is not available right now. Please try again later."))

	def create_order(self, payment, payer_ref: str, description: str) -> tuple[str, dict]:
		biz = {
			"out_trade_no": payment.out_trade_no,
			"total_amount": yuan(payment.amount_fen),
			"subject": _subject(description),
			"product_code": "JSAPI_PAY",
			"op_app_id": self.appid,
			"buyer_id": payer_ref,
		}
		if payment.expires_on:
			biz["time_expire"] = get_datetime(payment.expires_on).strftime("%Y-%m-%d %H:%M:%S")
		result = self._call("alipay.trade.create", biz, notify_url=notify_url("alipay"))
		if result.get("code") != "10000" or not result.get("trade_no"):
			log_provider_failure(PROVIDER, f"alipay.trade.create: {result.get('sub_code')}")
			raise GatewayError(
				_("Alipay refused the order ({0}).").format(result.get("sub_code") or result.get("code"))
			)
		return result["trade_no"], {"tradeNO": result["trade_no"]}

	def create_h5_order(self, payment, description: str, client_ip: str, return_url: str) -> tuple[str, dict]:
		"""Alipay wap pay (alipay.trade.wap.pay): no server call, a signed request the phone's browser
		takes to Alipay's cashier, which returns the payer to `return_url` and notifies `notify_url`."""
		extra = {}
		if payment.expires_on:
			extra["time_expire"] = get_datetime(payment.expires_on).strftime("%Y-%m-%d %H:%M:%S")
		query = self._sdk.api_alipay_trade_wap_pay(
			subject=_subject(description),
			out_trade_no=payment.out_trade_no,
			total_amount=yuan(payment.amount_fen),
			return_url=return_url,
			notify_url=notify_url("alipay"),
			quit_url=return_url,
			**extra,
		)
		return payment.out_trade_no, {"h5_url": f"{self._sdk._gateway}?{query}"}

	def query_order(self, out_trade_no: str) -> Trade:
		result = self._call("alipay.trade.query", {"out_trade_no": out_trade_no})
		if result.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
			return Trade(out_trade_no, TradeState.NOT_FOUND)
		if result.get("code") != "10000":
			raise GatewayError(_("Alipay could not find the payment ({0}).").format(result.get("sub_code")))
		return Trade(
			out_trade_no=result.get("out_trade_no") or out_trade_no,
			state=TRADE_STATES.get(result.get("trade_status"), TradeState.NOT_PAID),
			transaction_id=result.get("trade_no"),
			amount_fen=fen(result.get("total_amount")),
			currency="CNY",
			payer_ref=result.get("buyer_user_id") or result.get("buyer_open_id"),
		)

	def close_order(self, out_trade_no: str) -> None:
		result = self._call("alipay.trade.close", {"out_trade_no": out_trade_no})
		if result.get("code") != "10000" and result.get("sub_code") not in (
			"ACQ.TRADE_NOT_EXIST",
			"ACQ.TRADE_STATUS_ERROR",
		):
			raise GatewayError(_("Alipay could not close the payment ({0}).").format(result.get("sub_code")))

	def refund(self, refund, payment) -> Refund:
		result = self._call(
			"alipay.trade.refund",
			{
				"out_trade_no": payment.out_trade_no,
				"refund_amount": yuan(refund.amount_fen),
				"out_request_no": refund.out_refund_no,
				"refund_reason": (refund.reason or "")[:80],
			},
		)
		if result.get("code") != "10000":
			return Refund(refund.out_refund_no, RefundState.FAILED)
		if result.get("fund_change") == "Y":
			return Refund(
				refund.out_refund_no, RefundState.SUCCESS, result.get("trade_no"), refund.amount_fen
			)
		# fund_change=N: a repeat of a refund already made, or one Alipay accepted and is still doing
		known = self.query_refund(refund, payment)
		if known.state == RefundState.SUCCESS:
			return known
		return Refund(refund.out_refund_no, RefundState.PROCESSING)

	def query_refund(self, refund, payment) -> Refund:
		result = self._call(
			"alipay.trade.fastpay.refund.query",
			{"out_trade_no": payment.out_trade_no, "out_request_no": refund.out_refund_no},
		)
		if result.get("code") == "10000" and result.get("refund_status") == "REFUND_SUCCESS":
			return Refund(
				refund.out_refund_no,
				RefundState.SUCCESS,
				result.get("trade_no"),
				fen(result.get("refund_amount")),
			)
		if result.get("code") == "10000" and not result.get("refund_status"):
			return Refund(refund.out_refund_no, RefundState.FAILED)  # Alipay never took this refund
		return Refund(refund.out_refund_no, RefundState.PROCESSING)

	def transfer(
		self, out_bill_no: str, payee_ref: str, amount_fen: int, remark: str, purpose: str = "earnings"
	) -> Transfer:
		result = self._call(
			"alipay.fund.trans.uni.transfer",
			{
				"out_biz_no": out_bill_no,
				"trans_amount": yuan(amount_fen),
				"product_code": "TRANS_ACCOUNT_NO_PWD",
				"biz_scene": "DIRECT_TRANSFER",
				"order_title": remark[:32],
				"payee_info": {"identity": payee_ref, "identity_type": "ALIPAY_USER_ID"},
			},
		)
		if result.get("code") != "10000":
			raise GatewayError(_("Alipay refused the transfer ({0}).").format(result.get("sub_code")))
		return Transfer(
			out_bill_no,
			TRANSFER_STATES.get(result.get("status"), TransferState.PROCESSING),
			result.get("order_id"),
		)

	def query_transfer(self, out_bill_no: str) -> Transfer:
		result = self._call(
			"alipay.fund.trans.common.query",
			{
				"out_biz_no": out_bill_no,
				"product_code": "TRANS_ACCOUNT_NO_PWD",
				"biz_scene": "DIRECT_TRANSFER",
			},
		)
		if result.get("sub_code") == "ORDER_NOT_EXIST":
			return Transfer(out_bill_no, "NOT_FOUND")
		if result.get("code") != "10000":
			raise GatewayError(_("Alipay could not find the transfer ({0}).").format(result.get("sub_code")))
		return Transfer(
			out_bill_no,
			TRANSFER_STATES.get(result.get("status"), TransferState.PROCESSING),
			result.get("order_id"),
			fail_reason=result.get("fail_reason"),
			amount_fen=fen(result.get("trans_amount")) if result.get("trans_amount") else None,
		)

	def parse_notification(self, headers: dict, body: bytes) -> Notification:
		try:
			fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True))
		except (UnicodeDecodeError, ValueError):
			raise NotificationRejected("body is not a form")
		signature = fields.pop("sign", None)
		if not signature or fields.get("sign_type") != "RSA2":
			raise NotificationRejected("missing or unsupported signature")
		try:
			verified = self._sdk.verify(dict(fields), signature)
		except Exception:
			verified = False
		if not verified:
			raise NotificationRejected("signature does not verify")
		notification_id = fields.get("notify_id") or ""
		if not notification_id or fields.get("notify_type") != "trade_status_sync":
			raise NotificationRejected("unexpected notification", notification_id or None)
		trade = Trade(
			out_trade_no=fields.get("out_trade_no") or "",
			state=TRADE_STATES.get(fields.get("trade_status"), TradeState.NOT_PAID),
			transaction_id=fields.get("trade_no"),
			amount_fen=fen(fields.get("total_amount")),
			currency="CNY",
			app_id=fields.get("app_id"),
			merchant_id=fields.get("seller_id"),
			payer_ref=fields.get("buyer_id") or fields.get("buyer_open_id"),
		)
		if fields.get("refund_fee") or fields.get("out_biz_no"):
			# Alipay reports refunds on the trade notification; the refund itself was confirmed synchronously
			trade.state = TradeState.REFUNDED if trade.state == TradeState.CLOSED else trade.state
		return Notification(notification_id, fields.get("trade_status") or "", trade=trade)

	def acknowledge(self, ok: bool, message: str = "") -> Response:
		return Response("success" if ok else "failure", status=200, content_type="text/plain")

	def foreign_reason(self, item: Trade | Refund | Transfer, notified: bool = True) -> str | None:
		"""A trade_status_sync notification carries app_id and seller_id (checked against the
		configured seller when there is one). Refunds and transfers are learnt from our own queries."""
		if not isinstance(item, Trade):
			# only trade notifications are parsed; refunds and transfers come from our queries
			return "not an Alipay trade notification" if notified else None
		return field_mismatch(
			[("app_id", item.app_id, self.appid), ("seller_id", item.merchant_id, self.seller_id or PRESENT)],
			notified,
		)
