"""WeChat Pay API v3 for mini-programs, on `wechatpayv3` in WeChat Pay public-key mode.

The library has no base-URL option, so `_core._gate_way` is set from site config
`hs_wechatpay_base` (tests point it at a local fake). Webhooks are verified here rather than by the
library: it would fetch platform certificates over the network for an unknown key serial and it does
not check the timestamp, and both must reject probing and replayed requests without side effects.
"""

import json
import secrets
import time
from urllib.parse import parse_qsl, quote, urlsplit

import requests
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.utils import aes_decrypt, load_public_key, rsa_verify
from werkzeug.wrappers import Response

import frappe
from frappe import _
from frappe.utils import get_datetime

from home_service.billing import dev_cashier
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
	field_mismatch,
)
from home_service.billing.gateways.settings import notify_url, payment_settings, read_timeout, require, secret
from home_service.integrations.base import conf_url, log_provider_failure
from home_service.utils.db_retry import outside_effect

DEFAULT_BASE = "https://api.mch.weixin.qq.com"
PROVIDER = "WeChat Pay"
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"
MAX_SKEW_SECONDS = 300
TRADE_STATES = {
	"SUCCESS": TradeState.PAID,
	"REFUND": TradeState.REFUNDED,
	"CLOSED": TradeState.CLOSED,
	"REVOKED": TradeState.CLOSED,
	"NOTPAY": TradeState.NOT_PAID,
	"USERPAYING": TradeState.NOT_PAID,
	"PAYERROR": TradeState.NOT_PAID,
}
REFUND_STATES = {"SUCCESS": RefundState.SUCCESS, "PROCESSING": RefundState.PROCESSING}
# transfer scene (enabled for the merchant in the WeChat Pay console) and what it must report, by
# purpose: 1005 佣金报酬 pays technicians their earnings, 1010 二手回收 pays for recycled goods
TRANSFER_SCENES = {
	"earnings": (
		"1005",
		[
			{"info_type": "岗位类型", "info_content": "上门服务技师"},
			{"info_type": "报酬说明", "info_content": "服务佣金提现"},
		],
	),
	"recycling": ("1010", [{"info_type": "回收商品名称", "info_content": "废旧物资"}]),
}


class WeChatPayGateway(PaymentGateway):
	name = PROVIDER
	account_field = "wechat_openid"

	def __init__(self):
		settings = payment_settings()
		self.appid = settings.wechatpay_appid or frappe_wechat_appid()
		self.mchid = settings.wechatpay_mchid
		self.public_key_id = settings.wechatpay_public_key_id
		self._public_key_pem = settings.wechatpay_public_key
		private_key, self._apiv3_key = secret("wechatpay_private_key"), secret("wechatpay_apiv3_key")
		require(
			{
				"appid": self.appid,
				"mchid": self.mchid,
				"serial_no": settings.wechatpay_serial_no,
				"private_key": private_key,
				"apiv3_key": self._apiv3_key,
				"public_key": self._public_key_pem,
				"public_key_id": self.public_key_id,
			},
			PROVIDER,
		)
		self._sdk = WeChatPay(
			wechatpay_type=WeChatPayType.MINIPROG,
			mchid=self.mchid,
			private_key=private_key,
			cert_serial_no=settings.wechatpay_serial_no,
			appid=self.appid,
			apiv3_key=self._apiv3_key,
			notify_url=notify_url("wechatpay"),
			timeout=(5, read_timeout()),
			public_key=self._public_key_pem,
			public_key_id=self.public_key_id,
		)
		# a development site's sandbox provider (billing/dev_cashier.py) when it has one
		self._sdk._core._gate_way = dev_cashier.wechatpay_base() or conf_url(
			"hs_wechatpay_base", DEFAULT_BASE
		)

	def __repr__(self) -> str:
		return f"<WeChatPayGateway {self.mchid}>"

	# --- calls ------------------------------------------------------------------------------
	def _call(self, what: str, fn, *args, **kwargs) -> tuple[int, dict]:
		"""(HTTP status, JSON body) of a verified answer; GatewayError when unreachable or forged."""
		outside_effect(f"{PROVIDER} {what}")
		failure = None
		try:
			code, text = fn(*args, **kwargs)
		except requests.Timeout:
			failure = "timed out"
		except requests.RequestException as exc:
			failure = f"unreachable ({type(exc).__name__})"
		except Exception:  # the library raises a bare Exception when the answer's signature is wrong
			failure = "answer signature did not verify"
		if failure:
			log_provider_failure(PROVIDER, f"{what}: {failure}")
			raise GatewayError(_("WeChat Pay is not available right now. Please try again later."))
		try:
			body = json.loads(text) if text else {}
		except (TypeError, ValueError):
			body = {}
		if code >= 500:
			log_provider_failure(PROVIDER, f"{what}: HTTP {code}")
			raise GatewayError(_("WeChat Pay is not available right now. Please try again later."))
		return code, body

	def create_order(self, payment, payer_ref: str, description: str) -> tuple[str, dict]:
		expire = get_datetime(payment.expires_on).astimezone() if payment.expires_on else None
		code, body = self._call(
			"jsapi order",
			self._sdk.pay,
			description=description[:127],
			out_trade_no=payment.out_trade_no,
			amount={"total": int(payment.amount_fen), "currency": "CNY"},
			payer={"openid": payer_ref},
			time_expire=expire.isoformat(timespec="seconds") if expire else None,
			attach=payment.booking,
			pay_type=WeChatPayType.MINIPROG,
		)
		if code != 200 or not body.get("prepay_id"):
			log_provider_failure(PROVIDER, f"jsapi order: HTTP {code} {body.get('code')}")
			raise GatewayError(_("WeChat Pay refused the order ({0}).").format(body.get("code") or code))
		prepay_id = body["prepay_id"]
		return prepay_id, self.request_payment_params(prepay_id)

	def create_h5_order(self, payment, description: str, client_ip: str, return_url: str) -> tuple[str, dict]:
		"""WeChat Pay H5 (MWEB): the answer's h5_url opens WeChat's cashier in the phone's browser;
		`redirect_url` (on the merchant's H5 domain) is where WeChat sends the payer afterwards."""
		expire = get_datetime(payment.expires_on).astimezone() if payment.expires_on else None
		code, body = self._call(
			"h5 order",
			self._sdk.pay,
			description=description[:127],
			out_trade_no=payment.out_trade_no,
			amount={"total": int(payment.amount_fen), "currency": "CNY"},
			scene_info={"payer_client_ip": client_ip, "h5_info": {"type": "Wap"}},
			time_expire=expire.isoformat(timespec="seconds") if expire else None,
			attach=payment.booking,
			pay_type=WeChatPayType.H5,
		)
		h5_url = body.get("h5_url")
		if code != 200 or not h5_url:
			log_provider_failure(PROVIDER, f"h5 order: HTTP {code} {body.get('code')}")
			raise GatewayError(_("WeChat Pay refused the order ({0}).").format(body.get("code") or code))
		# the h5_url itself is the only reference WeChat gives; its prepay_id names the order
		prepay_id = dict(parse_qsl(urlsplit(h5_url).query)).get("prepay_id") or h5_url
		return prepay_id, {"h5_url": f"{h5_url}&redirect_url={quote(return_url, safe='')}"}

	def request_payment_params(self, prepay_id: str) -> dict:
		"""What wx.requestPayment needs, signed with the merchant key over appId/timeStamp/nonce/package."""
		timestamp, nonce, package = str(int(time.time())), secrets.token_hex(16), f"prepay_id={prepay_id}"
		return {
			"appId": self.appid,
			"timeStamp": timestamp,
			"nonceStr": nonce,
			"package": package,
			"signType": "RSA",
			"paySign": self._sdk.sign([self.appid, timestamp, nonce, package]),
		}

	def query_order(self, out_trade_no: str) -> Trade:
		code, body = self._call("query order", self._sdk.query, out_trade_no=out_trade_no)
		if code == 404:
			return Trade(out_trade_no, TradeState.NOT_FOUND)
		if code != 200:
			raise GatewayError(
				_("WeChat Pay could not find the payment ({0}).").format(body.get("code") or code)
			)
		return trade_from(body)

	def close_order(self, out_trade_no: str) -> None:
		code, body = self._call("close order", self._sdk.close, out_trade_no=out_trade_no)
		if code not in (200, 204) and body.get("code") != "ORDER_CLOSED":
			raise GatewayError(
				_("WeChat Pay could not close the payment ({0}).").format(body.get("code") or code)
			)

	def refund(self, refund, payment) -> Refund:
		code, body = self._call(
			"refund",
			self._sdk.refund,
			out_refund_no=refund.out_refund_no,
			out_trade_no=payment.out_trade_no,
			amount={"refund": int(refund.amount_fen), "total": int(payment.amount_fen), "currency": "CNY"},
			reason=(refund.reason or "")[:80] or None,
			notify_url=notify_url("wechatpay"),
		)
		if code != 200:
			return Refund(refund.out_refund_no, RefundState.FAILED, amount_fen=None)
		return refund_from(body)

	def query_refund(self, refund, payment) -> Refund:
		code, body = self._call("query refund", self._sdk.query_refund, out_refund_no=refund.out_refund_no)
		if code == 404:
			return Refund(refund.out_refund_no, RefundState.FAILED)
		if code != 200:
			raise GatewayError(
				_("WeChat Pay could not find the refund ({0}).").format(body.get("code") or code)
			)
		return refund_from(body)

	def transfer(
		self, out_bill_no: str, payee_ref: str, amount_fen: int, remark: str, purpose: str = "earnings"
	) -> Transfer:
		scene_id, report = TRANSFER_SCENES[purpose]
		code, body = self._call(
			"transfer",
			self._sdk.mch_transfer_bills,
			out_bill_no=out_bill_no,
			transfer_scene_id=scene_id,
			openid=payee_ref,
			transfer_amount=int(amount_fen),
			transfer_remark=remark[:32],
			transfer_scene_report_infos=report,
			notify_url=notify_url("wechatpay"),
		)
		if code != 200:
			# an answer that is not a bill: never mint a new out_bill_no, the caller queries first
			raise GatewayError(_("WeChat Pay refused the transfer ({0}).").format(body.get("code") or code))
		return transfer_from(body)

	def query_transfer(self, out_bill_no: str) -> Transfer:
		code, body = self._call("query transfer", self._sdk.mch_transfer_bills_query, out_bill_no=out_bill_no)
		if code == 404:
			return Transfer(out_bill_no, "NOT_FOUND")
		if code != 200:
			raise GatewayError(
				_("WeChat Pay could not find the transfer ({0}).").format(body.get("code") or code)
			)
		return transfer_from(body)

	# --- webhooks ---------------------------------------------------------------------------
	def parse_notification(self, headers: dict, body: bytes) -> Notification:
		h = {k.lower(): v for k, v in headers.items()}
		signature, timestamp = h.get("wechatpay-signature"), h.get("wechatpay-timestamp")
		nonce, serial = h.get("wechatpay-nonce"), h.get("wechatpay-serial")
		if not (signature and timestamp and nonce and serial):
			raise NotificationRejected("missing signature headers")
		if h.get("wechatpay-signature-type", SIGNATURE_TYPE) != SIGNATURE_TYPE:
			raise NotificationRejected("unsupported signature type")
		if serial != self.public_key_id:
			raise NotificationRejected("unknown key serial")
		try:
			skew = abs(time.time() - int(timestamp))
		except ValueError:
			raise NotificationRejected("malformed timestamp")
		if skew > MAX_SKEW_SECONDS:
			raise NotificationRejected("timestamp outside the 5-minute window")
		try:
			text = body.decode("utf-8")
		except UnicodeDecodeError:
			raise NotificationRejected("body is not UTF-8")
		if not rsa_verify(timestamp, nonce, text, signature, load_public_key(self._public_key_pem)):
			raise NotificationRejected("signature does not verify")
		try:
			envelope = json.loads(text)
			resource = envelope["resource"]
			notification_id, event_type = _text(envelope["id"]), _text(envelope["event_type"])
		except (ValueError, KeyError, TypeError):
			raise NotificationRejected("malformed envelope")
		if not (isinstance(resource, dict) and notification_id and event_type):
			raise NotificationRejected("malformed envelope")
		if resource.get("algorithm") != "AEAD_AES_256_GCM":
			raise NotificationRejected("unsupported encryption", notification_id)
		try:
			plain = aes_decrypt(
				nonce=_text(resource.get("nonce")) or "",
				ciphertext=_text(resource.get("ciphertext")) or "",
				associated_data=_text(resource.get("associated_data")) or "",
				apiv3_key=self._apiv3_key,
			)
		except ValueError:  # not base64, an empty or overlong nonce, a plaintext that is not UTF-8
			plain = None
		if plain is None:
			raise NotificationRejected("resource does not decrypt", notification_id)
		try:
			data = json.loads(plain)
		except ValueError:
			raise NotificationRejected("resource is not JSON", notification_id)
		parse = next((p for prefix, p in RESOURCE_PARSERS.items() if event_type.startswith(prefix)), None)
		if parse is None:
			raise NotificationRejected(f"unexpected event {event_type}", notification_id)
		try:
			item = parse(data)
		except (AttributeError, TypeError):  # a resource of the wrong shape: a list, an amount that is text
			raise NotificationRejected("malformed resource", notification_id)
		kind = {trade_from: "trade", refund_from: "refund", transfer_from: "transfer"}[parse]
		return Notification(notification_id, event_type, **{kind: item})

	def acknowledge(self, ok: bool, message: str = "") -> Response:
		if ok:
			return Response(status=204)
		body = json.dumps({"code": "FAIL", "message": message or "rejected"})
		return Response(body, status=400, content_type="application/json")

	def foreign_reason(self, item: Trade | Refund | Transfer, notified: bool = True) -> str | None:
		"""The identity fields each v3 notification resource carries: a transaction has mchid, appid
		and amount.currency; a refund mchid, out_trade_no and amount.total; a transfer bill mch_id and
		openid. Billing compares amounts and references with its rows."""
		checks = [("mchid", item.merchant_id, self.mchid)]
		if isinstance(item, Trade):
			checks += [("appid", item.app_id, self.appid), ("currency", item.currency, "CNY")]
		elif isinstance(item, Refund):
			checks += [
				("out_trade_no", item.out_trade_no, PRESENT),
				("amount.total", item.total_fen, PRESENT),
			]
		elif isinstance(item, Transfer):
			checks.append(("openid", item.payee_ref, PRESENT))
		return field_mismatch(checks, notified)


def frappe_wechat_appid() -> str | None:
	"""The mini-program's appid from login settings, when Payment Settings leave it empty."""
	return frappe.db.get_single_value("HS Settings", "wechat_appid")


def trade_from(data: dict) -> Trade:
	amount = data.get("amount") or {}
	return Trade(
		out_trade_no=_text(data.get("out_trade_no")) or "",
		state=TRADE_STATES.get(_text(data.get("trade_state")), TradeState.NOT_PAID),
		transaction_id=_text(data.get("transaction_id")),
		amount_fen=_int(amount.get("total")),
		currency=_text(amount.get("currency")),
		app_id=_text(data.get("appid")),
		merchant_id=_text(data.get("mchid")),
		payer_ref=_text((data.get("payer") or {}).get("openid")),
	)


def refund_from(data: dict) -> Refund:
	status = _text(data.get("refund_status") or data.get("status"))
	amount = data.get("amount") or {}
	return Refund(
		out_refund_no=_text(data.get("out_refund_no")) or "",
		state=REFUND_STATES.get(status, RefundState.FAILED),
		refund_id=_text(data.get("refund_id")),
		amount_fen=_int(amount.get("refund")),
		out_trade_no=_text(data.get("out_trade_no")),
		total_fen=_int(amount.get("total")),
		merchant_id=_text(data.get("mchid")),
	)


def transfer_from(data: dict) -> Transfer:
	return Transfer(
		out_bill_no=_text(data.get("out_bill_no")) or "",
		state=_text(data.get("state")) or "PROCESSING",
		bill_no=_text(data.get("transfer_bill_no")),
		package_info=_text(data.get("package_info")),
		fail_reason=_text(data.get("fail_reason")),
		amount_fen=_int(data.get("transfer_amount")),
		payee_ref=_text(data.get("openid")),
		merchant_id=_text(data.get("mch_id")),
	)


RESOURCE_PARSERS = {"TRANSACTION.": trade_from, "REFUND.": refund_from, "MCHTRANSFER.": transfer_from}


def _int(value) -> int | None:
	"""A whole number of fen, or None for anything else (text, a fraction, true, a huge number)."""
	if isinstance(value, bool) or not isinstance(value, int | str):
		return None
	try:
		number = int(value)
	except ValueError:
		return None
	return number if abs(number) < 10**15 else None


def _text(value) -> str | None:
	"""A field of a notification as text: a string or a number; None for anything else, and for text
	no database column takes (NUL, a lone surrogate) or longer than anything WeChat Pay sends."""
	if isinstance(value, bool) or not isinstance(value, str | int):
		return None
	text = str(value)
	if len(text) > 2000 or "\x00" in text:
		return None
	try:
		text.encode("utf-8")
	except UnicodeEncodeError:
		return None
	return text
