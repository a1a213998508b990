"""Fake Alipay open platform gateway: verifies our RSA2 request signature with the app public key and
signs its answers with its own key, as openapi.alipay.com/gateway.do does.

Knobs (`fake.knobs`) make it answer like a provider having a bad day: refunds that stay in process
(fund_change=N, no refund_status) until `finish_refund`, transfers DEALING until `finish_transfer`
or FAIL at once, HTTP 5xx for the next n calls of a method, and slow answers (the call is recorded
and takes effect first, so a client that times out has still reached the provider).
"""

import json
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .alipay_trade import TRADE_METHODS, AlipayTradeMethods
from .keys import KeyPair, new_keypair, sign_sha256_rsa, verify_sha256_rsa
from .server import FakeServer, Request, Response

MAX_CLOCK_SKEW = timedelta(minutes=15)


def error(sub_code: str, sub_msg: str, code: str = "40002", msg: str = "Invalid Arguments") -> dict:
	return {"code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg}


@dataclass
class Knobs:
	refund_state: str = "SUCCESS"  # or PROCESSING: finishes when the test calls finish_refund()
	transfer_state: str = "SUCCESS"  # or DEALING (finish_transfer() ends it) or FAIL
	fail_next: dict[str, int] = field(default_factory=dict)  # method → answer HTTP 502 n times
	slow: dict[str, float] = field(default_factory=dict)  # method → seconds (after it took effect)


class AlipayFake(AlipayTradeMethods, FakeServer):
	def __init__(self, appid: str | None = None, app_keys: KeyPair | None = None):
		super().__init__()
		self.appid = appid or "2021" + str(secrets.randbelow(10**12)).zfill(12)
		self.app_keys = app_keys or new_keypair()  # the app's pair: we keep the public half
		self.alipay_keys = new_keypair()  # Alipay's own pair: the app gets the public half
		self.auth_codes: dict[str, dict] = {}
		self.sign_with: KeyPair | None = None  # sign answers with another key (a forged gateway)
		self.rejected_signatures = 0
		self.seller_id = "2088" + str(secrets.randbelow(10**12)).zfill(12)
		self.trades: dict[str, dict] = {}
		self.refunds: dict[str, dict] = {}  # (out_trade_no, out_request_no) → refund
		self.transfers: dict[str, dict] = {}
		self.counts = {"trades": 0, "refunds": 0, "transfers": 0}
		self.calls: Counter = Counter()  # "refund:<out_request_no>", "transfer:<out_biz_no>" → requests
		self.knobs = Knobs()

	@property
	def gateway(self) -> str:
		return f"{self.url}/gateway.do"

	def auth_code(self, user_id: str | None = None) -> str:
		code = secrets.token_hex(16)
		self.auth_codes[code] = {
			"user_id": user_id or "2088" + str(secrets.randbelow(10**12)).zfill(12),
			"used": False,
		}
		return code

	# --- the protocol -----------------------------------------------------------------------
	def handle(self, request: Request) -> Response:
		if request.path != "/gateway.do":
			return Response(404, "not found")
		params = dict(request.query)
		if request.method == "POST":
			params.update(request.form())
		method = params.get("method", "")
		response_key = method.replace(".", "_") + "_response"
		problem = self._check_request(params)
		if problem:
			return self._signed("error_response", problem)
		if method == "alipay.system.oauth.token":
			return self._oauth_token(params, response_key)
		handler = TRADE_METHODS.get(method)
		if not handler:
			return self._signed("error_response", error("isv.invalid-method", "不存在的方法名", "40004"))
		try:
			biz = json.loads(params.get("biz_content") or "{}")
		except ValueError:
			return self._signed(response_key, error("isv.invalid-biz-content", "biz_content格式错误"))
		if self.knobs.fail_next.get(method):
			self.knobs.fail_next[method] -= 1
			return Response(502, "bad gateway")
		response = self._signed(response_key, getattr(self, handler)(biz, params))
		response.delay = self.knobs.slow.get(method, 0.0)
		return response

	def _check_request(self, params: dict[str, str]) -> dict | None:
		if params.get("app_id") != self.appid:
			return error("isv.invalid-app-id", "无效的AppID参数")
		if params.get("sign_type") != "RSA2":
			return error("isv.invalid-signature-type", "无效的签名类型")
		signed = "&".join(f"{k}={v}" for k, v in sorted(params.items()) if k != "sign" and v != "")
		if not verify_sha256_rsa(self.app_keys.public_pem, signed, params.get("sign", "")):
			self.rejected_signatures += 1
			return error("isv.invalid-signature", "验签出错")
		try:
			sent = datetime.strptime(params.get("timestamp", ""), "%Y-%m-%d %H:%M:%S")
		except ValueError:
			return error("isv.invalid-timestamp", "非法的时间戳参数")
		if abs(datetime.now() - sent) > MAX_CLOCK_SKEW:
			return error("isv.invalid-timestamp", "非法的时间戳参数")
		return None

	def _oauth_token(self, params: dict[str, str], response_key: str) -> Response:
		if params.get("grant_type") != "authorization_code":
			return self._signed("error_response", error("isv.grant-type-invalid", "grant_type参数不正确"))
		entry = self.auth_codes.get(params.get("code", ""))
		if not entry or entry["used"]:
			return self._signed("error_response", error("isv.code-invalid", "授权码code无效"))
		entry["used"] = True
		return self._signed(
			response_key,
			{
				"user_id": entry["user_id"],
				"access_token": "authusrB" + secrets.token_hex(16),
				"expires_in": 1296000,
				"refresh_token": "authusrB" + secrets.token_hex(16),
				"re_expires_in": 2592000,
				"auth_start": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
			},
		)

	def _signed(self, key: str, inner: dict) -> Response:
		text = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
		signature = sign_sha256_rsa((self.sign_with or self.alipay_keys).private_pem, text)
		body = f'{{"{key}":{text},"sign":"{signature}"}}'
		return Response(200, body, {"Content-Type": "application/json; charset=utf-8"})
