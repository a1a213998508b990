"""Fake WeChat Pay API v3 (api.mch.weixin.qq.com) in public-key mode, plus a notifier.

It checks our `Authorization` signature with the merchant's public key, signs every answer with the
WeChat Pay platform key (serial PUB_KEY_ID_…), enforces out_trade_no / out_refund_no / out_bill_no
uniqueness and refund limits, and builds notifications signed and AES-256-GCM encrypted like the real
service. Knobs make it answer PROCESSING, 5xx, slowly, or send duplicate, stale or tampered webhooks.
"""

import base64
import json
import re
import secrets
import string
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .keys import KeyPair, new_keypair, sign_sha256_rsa, verify_sha256_rsa
from .server import FakeServer, Request, Response

CN = timezone(timedelta(hours=8))
OUT_NO = re.compile(r"^[0-9A-Za-z_\-|*]{6,64}$")
AUTH = re.compile(r'(\w+)="([^"]*)"')


def _now() -> str:
	return datetime.now(CN).isoformat(timespec="seconds")


def error(status: int, code: str, message: str) -> tuple[int, dict]:
	return status, {"code": code, "message": message}


def _altered(resource: dict, change: dict | None, drop: tuple) -> dict:
	"""A copy with `change` applied and the `drop` keys removed (a dotted key reaches one level in)."""
	view = json.loads(json.dumps(resource))
	view.update(change or {})
	for key in drop:
		outer, _, inner = key.partition(".")
		(view.get(outer) or {}).pop(inner, None) if inner else view.pop(outer, None)
	return view


@dataclass
class Knobs:
	refund_state: str = "SUCCESS"  # or PROCESSING: finishes when the test calls finish_refund()
	transfer_state: str = "WAIT_USER_CONFIRM"  # or FAIL / SUCCESS / PROCESSING
	fail_next: dict[str, int] = field(default_factory=dict)  # endpoint kind → answer 500 n times
	slow: dict[str, float] = field(default_factory=dict)  # endpoint kind → seconds (after recording)


@dataclass
class Identity:
	"""Who the fake is and whom it serves: given when the keys must outlive one fake (a development
	site's sandbox keeps them in its settings); made up at random otherwise."""

	appid: str
	mchid: str
	merchant_keys: KeyPair  # only the public half is needed to check the merchant's requests
	merchant_serial: str
	platform_keys: KeyPair
	public_key_id: str
	apiv3_key: str

	@classmethod
	def new(cls, appid: str | None = None) -> "Identity":
		return cls(
			appid=appid or "wx" + secrets.token_hex(8),
			mchid=str(1_600_000_000 + secrets.randbelow(99_999_999)),
			merchant_keys=new_keypair(),
			merchant_serial=secrets.token_hex(20).upper(),
			platform_keys=new_keypair(),
			public_key_id="PUB_KEY_ID_" + secrets.token_hex(16).upper(),
			apiv3_key="".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32)),
		)

	def settings(self) -> dict:
		"""HS Payment Settings values for a merchant of this identity."""
		return {
			"wechatpay_enabled": 1,
			"wechatpay_appid": self.appid,
			"wechatpay_mchid": self.mchid,
			"wechatpay_serial_no": self.merchant_serial,
			"wechatpay_private_key": self.merchant_keys.private_pem,
			"wechatpay_apiv3_key": self.apiv3_key,
			"wechatpay_public_key_id": self.public_key_id,
			"wechatpay_public_key": self.platform_keys.public_pem,
		}


class WeChatPayFake(FakeServer):
	# where an H5 (MWEB) order's h5_url sends the payer: WeChat's cashier, or a development site's
	cashier_url = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb"

	def __init__(self, appid: str | None = None, identity: Identity | None = None):
		super().__init__()
		me = self.identity = identity or Identity.new(appid)
		self.appid, self.mchid = me.appid, me.mchid
		self.merchant_keys, self.merchant_serial = me.merchant_keys, me.merchant_serial
		self.platform_keys, self.public_key_id = me.platform_keys, me.public_key_id
		self.apiv3_key = me.apiv3_key
		self.orders: dict[str, dict] = {}
		self.refunds: dict[str, dict] = {}
		self.bills: dict[str, dict] = {}
		self.counts = {"orders": 0, "refunds": 0, "transfers": 0, "rejected_signatures": 0}
		self.calls: Counter = Counter()  # "refund:<out_refund_no>", "transfer:<out_bill_no>" → requests
		self.knobs = Knobs()

	# --- what a test does as the payer / the provider's back office --------------------------
	def settings(self) -> dict:
		"""HS Payment Settings values for this fake."""
		return self.identity.settings()

	def user_pays(self, out_trade_no: str) -> dict:
		"""The customer completes payment in WeChat; returns the transaction as a notify carries it."""
		with self._lock:
			order = self.orders[out_trade_no]
			if order["trade_state"] == "NOTPAY":
				order.update(
					# an H5 order learns its payer when someone pays it
					payer=order["payer"] or {"openid": "o" + secrets.token_urlsafe(21)[:27]},
					trade_state="SUCCESS",
					transaction_id="42000" + str(secrets.randbelow(10**23)).zfill(23),
					success_time=_now(),
				)
			return self._transaction(order)

	def paid_transaction(self, out_trade_no: str, total: int, openid: str) -> dict:
		"""Register an order our side opened elsewhere (e.g. a benchmark's) as paid; its transaction."""
		with self._lock:
			self.orders[out_trade_no] = {
				"appid": self.appid,
				"mchid": self.mchid,
				"out_trade_no": out_trade_no,
				"trade_state": "NOTPAY",
				"amount": {"total": total, "currency": "CNY"},
				"payer": {"openid": openid},
				"prepay_id": "wx" + secrets.token_hex(15),
				"refunded": 0,
			}
		return self.user_pays(out_trade_no)

	def finish_refund(self, out_refund_no: str, status: str = "SUCCESS") -> dict:
		with self._lock:
			refund = self.refunds[out_refund_no]
			refund["status"] = status
			return self._refund_view(refund)

	def user_confirms_transfer(self, out_bill_no: str, state: str = "SUCCESS") -> dict:
		with self._lock:
			bill = self.bills[out_bill_no]
			bill["state"] = state
			if state == "FAIL":
				bill["fail_reason"] = "PAYEE_ACCOUNT_ABNORMAL"
			return dict(bill)

	# --- webhooks -------------------------------------------------------------------------
	def notification(
		self,
		event_type: str,
		resource: dict | list,
		*,
		age_seconds: int = 0,
		sign_with: KeyPair | None = None,
		serial: str | None = None,
		apiv3_key: str | None = None,
		algorithm: str = "AEAD_AES_256_GCM",
		notification_id: str | None = None,
		resource_fields: dict | None = None,
	) -> tuple[dict, bytes]:
		"""(headers, body) of a webhook as WeChat Pay would POST it; knobs forge or age it, and
		`resource_fields` replace fields of the encrypted resource (a ciphertext that is not base64)."""
		nonce = secrets.token_hex(6)  # 12 characters, as WeChat's resource nonces are
		plain = json.dumps(resource, ensure_ascii=False).encode()
		associated = (
			"transaction" if event_type.startswith("TRANSACTION") else event_type.split(".")[0].lower()
		)
		key = (apiv3_key or self.apiv3_key).encode()
		ciphertext = AESGCM(key).encrypt(nonce.encode(), plain, associated.encode())
		summary = {"TRANSACTION.SUCCESS": "支付成功", "REFUND.SUCCESS": "退款成功"}.get(event_type, "通知")
		envelope = {
			"id": notification_id or secrets.token_hex(18),
			"create_time": _now(),
			"resource_type": "encrypt-resource",
			"event_type": event_type,
			"summary": summary,
			"resource": {
				"original_type": associated,
				"algorithm": algorithm,
				"ciphertext": base64.b64encode(ciphertext).decode(),
				"associated_data": associated,
				"nonce": nonce,
				**(resource_fields or {}),
			},
		}
		body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
		headers = self.signed_headers(body, age_seconds=age_seconds, sign_with=sign_with, serial=serial)
		return headers, body.encode()

	def signed_headers(
		self, body: str, *, age_seconds: int = 0, sign_with: KeyPair | None = None, serial: str | None = None
	) -> dict:
		"""The headers WeChat Pay sends with `body`, signed with its platform key (or `sign_with`)."""
		timestamp, sig_nonce = str(int(time.time()) - age_seconds), secrets.token_hex(16)
		signature = sign_sha256_rsa(
			(sign_with or self.platform_keys).private_pem, f"{timestamp}\n{sig_nonce}\n{body}\n"
		)
		return {
			"Content-Type": "application/json",
			"Wechatpay-Timestamp": timestamp,
			"Wechatpay-Nonce": sig_nonce,
			"Wechatpay-Signature": signature,
			"Wechatpay-Serial": serial or self.public_key_id,
			"Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
		}

	def paid_notification(self, out_trade_no: str, **knobs) -> tuple[dict, bytes]:
		return self.notification("TRANSACTION.SUCCESS", self.user_pays(out_trade_no), **knobs)

	def refund_notification(
		self, out_refund_no: str, *, change: dict | None = None, drop: tuple = (), **knobs
	) -> tuple[dict, bytes]:
		"""A signed REFUND.* webhook; `change` / `drop` alter the resource before it is encrypted."""
		with self._lock:
			view = self._refund_view(self.refunds[out_refund_no])
		view["refund_status"] = view.pop("status")
		view["mchid"] = self.mchid  # the notification names the merchant; query answers do not
		return self.notification(f"REFUND.{view['refund_status']}", _altered(view, change, drop), **knobs)

	def transfer_notification(
		self, out_bill_no: str, *, change: dict | None = None, drop: tuple = (), **knobs
	) -> tuple[dict, bytes]:
		with self._lock:
			bill = dict(self.bills[out_bill_no])
		return self.notification("MCHTRANSFER.BILL.FINISHED", _altered(bill, change, drop), **knobs)

	# --- the protocol -----------------------------------------------------------------------
	def handle(self, request: Request) -> Response:
		full_path = request.path + (
			("?" + "&".join(f"{k}={v}" for k, v in request.query.items())) if request.query else ""
		)
		if not self._signed_by_merchant(request, full_path):
			self.counts["rejected_signatures"] += 1
			return self._answer(*error(401, "SIGN_ERROR", "签名错误"))
		kind, handler, args = self._route(request)
		if not handler:
			return self._answer(*error(404, "NOT_FOUND", "无效的请求路径"))
		if self.knobs.fail_next.get(kind):
			self.knobs.fail_next[kind] -= 1
			return Response(500, {"code": "SYSTEM_ERROR", "message": "系统错误"})
		status, body = handler(request, *args)
		response = self._answer(status, body)
		response.delay = self.knobs.slow.get(kind, 0.0)
		return response

	def _route(self, request: Request):
		p, m = request.path, request.method
		if m == "POST" and p == "/v3/pay/transactions/jsapi":
			return "order", self._create_order, ()
		if m == "POST" and p == "/v3/pay/transactions/h5":
			return "order", self._create_h5_order, ()
		if match := re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)", p):
			return "query", self._query_order if m == "GET" else None, (match[1],)
		if m == "POST" and (match := re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)/close", p)):
			return "close", self._close_order, (match[1],)
		if m == "POST" and p == "/v3/refund/domestic/refunds":
			return "refund", self._create_refund, ()
		if m == "GET" and (match := re.fullmatch(r"/v3/refund/domestic/refunds/([^/]+)", p)):
			return "refund_query", self._query_refund, (match[1],)
		if m == "POST" and p == "/v3/fund-app/mch-transfer/transfer-bills":
			return "transfer", self._create_bill, ()
		if m == "GET" and (
			match := re.fullmatch(r"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/([^/]+)", p)
		):
			return "transfer_query", self._query_bill, (match[1],)
		return None, None, ()

	def _signed_by_merchant(self, request: Request, full_path: str) -> bool:
		header = request.headers.get("authorization", "")
		if not header.startswith("WECHATPAY2-SHA256-RSA2048 "):
			return False
		parts = dict(AUTH.findall(header))
		if parts.get("mchid") != self.mchid or parts.get("serial_no") != self.merchant_serial:
			return False
		text = f"{request.method}\n{full_path}\n{parts.get('timestamp')}\n{parts.get('nonce_str')}\n{request.body.decode()}\n"
		try:
			fresh = abs(time.time() - int(parts.get("timestamp", "0"))) <= 300
		except ValueError:
			return False
		return fresh and verify_sha256_rsa(self.merchant_keys.public_pem, text, parts.get("signature", ""))

	def _create_order(self, request: Request, trade_type: str = "JSAPI"):
		data = request.json()
		out_trade_no = str(data.get("out_trade_no") or "")
		amount = data.get("amount") or {}
		if data.get("appid") != self.appid or data.get("mchid") != self.mchid:
			return error(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配")
		if (
			not OUT_NO.fullmatch(out_trade_no)
			or not isinstance(amount.get("total"), int)
			or amount["total"] <= 0
		):
			return error(400, "PARAM_ERROR", "参数错误")
		if trade_type == "JSAPI" and not (data.get("payer") or {}).get("openid"):
			return error(400, "PARAM_ERROR", "缺少payer.openid")
		existing = self.orders.get(out_trade_no)
		if existing:
			if (
				existing["amount"]["total"] != amount["total"]
				or existing["payer"] != data.get("payer", {})
				or existing.get("trade_type", "JSAPI") != trade_type
			):
				return error(400, "INVALID_REQUEST", "201 商户订单号重复")
			if existing["trade_state"] != "NOTPAY":
				return error(
					400,
					"ORDERPAID" if existing["trade_state"] == "SUCCESS" else "ORDERCLOSED",
					"订单状态错误",
				)
			return 200, {"prepay_id": existing["prepay_id"]}
		self.counts["orders"] += 1
		self.orders[out_trade_no] = {
			"appid": self.appid,
			"mchid": self.mchid,
			"out_trade_no": out_trade_no,
			"trade_state": "NOTPAY",
			"amount": {"total": amount["total"], "currency": amount.get("currency", "CNY")},
			"payer": data.get("payer", {}),
			"trade_type": trade_type,
			"attach": data.get("attach"),
			"prepay_id": "wx" + secrets.token_hex(15),
			"refunded": 0,
		}
		return 200, {"prepay_id": self.orders[out_trade_no]["prepay_id"]}

	def _create_h5_order(self, request: Request):
		"""H5 (MWEB): no payer yet, the payer's IP instead; answers the cashier's h5_url."""
		data = request.json()
		scene = data.get("scene_info") or {}
		if not scene.get("payer_client_ip") or not (scene.get("h5_info") or {}).get("type"):
			return error(400, "PARAM_ERROR", "缺少scene_info")
		status, body = self._create_order(request, trade_type="MWEB")
		if status != 200:
			return status, body
		prepay_id = body["prepay_id"]
		return 200, {
			"h5_url": f"{self.cashier_url}?prepay_id={prepay_id}&package={secrets.randbelow(10**10)}"
		}

	def _transaction(self, order: dict) -> dict:
		total = order["amount"]["total"]
		view = {
			"appid": order["appid"],
			"mchid": order["mchid"],
			"out_trade_no": order["out_trade_no"],
			"trade_type": order.get("trade_type", "JSAPI"),
			"trade_state": order["trade_state"],
			"trade_state_desc": order["trade_state"],
			"attach": order.get("attach") or "",
			"payer": order["payer"],
			"amount": {"total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY"},
		}
		if order.get("transaction_id"):
			view.update(
				transaction_id=order["transaction_id"], success_time=order["success_time"], bank_type="OTHERS"
			)
		return view

	def _query_order(self, request: Request, out_trade_no: str):
		if request.query.get("mchid") != self.mchid:
			return error(400, "PARAM_ERROR", "mchid错误")
		order = self.orders.get(out_trade_no)
		if not order:
			return error(404, "ORDER_NOT_EXIST", "订单不存在")
		return 200, self._transaction(order)

	def _close_order(self, request: Request, out_trade_no: str):
		order = self.orders.get(out_trade_no)
		if not order:
			return error(404, "ORDER_NOT_EXIST", "订单不存在")
		if order["trade_state"] == "SUCCESS":
			return error(400, "ORDERPAID", "订单已支付")
		order["trade_state"] = "CLOSED"
		return 204, None

	def _create_refund(self, request: Request):
		data = request.json()
		out_refund_no = str(data.get("out_refund_no") or "")
		self.calls[f"refund:{out_refund_no}"] += 1
		amount = data.get("amount") or {}
		order = self.orders.get(str(data.get("out_trade_no") or ""))
		if (
			not OUT_NO.fullmatch(out_refund_no)
			or not isinstance(amount.get("refund"), int)
			or amount["refund"] <= 0
		):
			return error(400, "PARAM_ERROR", "参数错误")
		if not order or order["trade_state"] not in ("SUCCESS", "REFUND"):
			return error(404, "RESOURCE_NOT_EXISTS", "订单不存在或未支付")
		existing = self.refunds.get(out_refund_no)
		if existing:  # 同一商户退款单号多次请求只退一笔
			if existing["amount"]["refund"] != amount["refund"]:
				return error(400, "INVALID_REQUEST", "退款单号重复但金额不同")
			return 200, self._refund_view(existing)
		if amount.get("total") != order["amount"]["total"]:
			return error(400, "PARAM_ERROR", "订单金额不一致")
		if order["refunded"] + amount["refund"] > order["amount"]["total"]:
			return error(400, "NOT_ENOUGH", "退款金额超过可退金额")
		order["refunded"] += amount["refund"]
		order["trade_state"] = "REFUND"
		self.counts["refunds"] += 1
		self.refunds[out_refund_no] = {
			"refund_id": "50" + str(secrets.randbelow(10**28)).zfill(28),
			"out_refund_no": out_refund_no,
			"transaction_id": order.get("transaction_id"),
			"out_trade_no": order["out_trade_no"],
			"status": self.knobs.refund_state,
			"create_time": _now(),
			"amount": {"total": order["amount"]["total"], "refund": amount["refund"], "currency": "CNY"},
		}
		return 200, self._refund_view(self.refunds[out_refund_no])

	def _refund_view(self, refund: dict) -> dict:
		view = json.loads(json.dumps(refund))
		view["amount"].update(payer_total=view["amount"]["total"], payer_refund=view["amount"]["refund"])
		view["channel"] = "ORIGINAL"
		view["user_received_account"] = "支付用户零钱"
		if refund["status"] == "SUCCESS":
			view["success_time"] = _now()
		return view

	def _query_refund(self, request: Request, out_refund_no: str):
		refund = self.refunds.get(out_refund_no)
		if not refund:
			return error(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
		return 200, self._refund_view(refund)

	def _create_bill(self, request: Request):
		data = request.json()
		out_bill_no = str(data.get("out_bill_no") or "")
		self.calls[f"transfer:{out_bill_no}"] += 1
		amount = data.get("transfer_amount")
		if data.get("appid") != self.appid or not OUT_NO.fullmatch(out_bill_no):
			return error(400, "PARAM_ERROR", "参数错误")
		if (
			not isinstance(amount, int)
			or amount <= 0
			or not data.get("openid")
			or not data.get("transfer_scene_id")
		):
			return error(400, "PARAM_ERROR", "参数错误")
		existing = self.bills.get(out_bill_no)
		if existing:
			if existing["transfer_amount"] != amount or existing["openid"] != data["openid"]:
				return error(400, "INVALID_REQUEST", "商户单号重复但参数不同")
			return 200, self._bill_view(existing)
		self.counts["transfers"] += 1
		self.bills[out_bill_no] = {
			"mch_id": self.mchid,
			"out_bill_no": out_bill_no,
			"transfer_bill_no": "1330" + secrets.token_hex(14),
			"transfer_amount": amount,
			"openid": data["openid"],
			"state": self.knobs.transfer_state,
			"create_time": _now(),
		}
		return 200, self._bill_view(self.bills[out_bill_no])

	def _bill_view(self, bill: dict) -> dict:
		view = {k: bill[k] for k in ("out_bill_no", "transfer_bill_no", "state", "create_time")}
		if bill["state"] == "WAIT_USER_CONFIRM":
			view["package_info"] = "ABBQO+oYAAABAAAAAAAk" + secrets.token_hex(8)
		if bill.get("fail_reason"):
			view["fail_reason"] = bill["fail_reason"]
		return view

	def _query_bill(self, request: Request, out_bill_no: str):
		bill = self.bills.get(out_bill_no)
		if not bill:
			return error(404, "NOT_FOUND", "转账单不存在")
		view = self._bill_view(bill)
		view.update(transfer_amount=bill["transfer_amount"], openid=bill["openid"], mch_id=self.mchid)
		return 200, view

	def _answer(self, status: int, body: dict | None) -> Response:
		text = json.dumps(body, ensure_ascii=False) if body is not None else ""
		timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
		signature = sign_sha256_rsa(self.platform_keys.private_pem, f"{timestamp}\n{nonce}\n{text}\n")
		headers = {
			"Content-Type": "application/json; charset=utf-8",
			"Request-ID": secrets.token_hex(16),
			"Wechatpay-Timestamp": timestamp,
			"Wechatpay-Nonce": nonce,
			"Wechatpay-Signature": signature,
			"Wechatpay-Serial": self.public_key_id,
			"Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048",
		}
		return Response(status, text, headers)
