"""Fake Aliyun Dysmsapi and Tencent Cloud SMS endpoints.

Each recomputes the request signature the way the provider documents it (written separately from the
app's clients, so a shared mistake does not pass unnoticed), refuses stale timestamps and replayed
nonces, and records the messages it accepted so a test can read the code a user would receive.
"""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from .server import FakeServer, Request, Response

MAX_SKEW = timedelta(minutes=5)


class SmsFake(FakeServer):
	def __init__(self, key_id: str | None = None, key_secret: str | None = None):
		super().__init__()
		self.key_id = key_id or "LTAI" + secrets.token_hex(8)
		self.key_secret = key_secret or secrets.token_urlsafe(24)
		self.messages: list[dict] = []  # {"phone", "sign_name", "template", "params"}
		self.signature_failures = 0
		self.fail_code: str | None = None  # refuse every message with this provider code
		self._messages_lock = threading.Lock()

	def _accept(self, phone: str, sign_name: str, template: str, params) -> None:
		with self._messages_lock:
			self.messages.append(
				{"phone": phone[-11:], "sign_name": sign_name, "template": template, "params": params}
			)

	def messages_to(self, phone: str) -> list[dict]:
		return [m for m in self.messages if m["phone"] == phone[-11:]]

	def last_code(self, phone: str) -> str | None:
		sent = self.messages_to(phone)
		if not sent:
			return None
		params = sent[-1]["params"]
		return params["code"] if isinstance(params, dict) else params[0]


class AliyunSmsFake(SmsFake):
	"""dysmsapi.aliyuncs.com, RPC style, SignatureMethod HMAC-SHA1, SignatureVersion 1.0."""

	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		self.nonces: set[str] = set()

	def handle(self, request: Request) -> Response:
		params = dict(request.query) if request.method == "GET" else request.form()
		problem = self._check(request.method, params)
		if problem:
			self.signature_failures += problem[0] == "SignatureDoesNotMatch"
			return Response(
				400, {"RequestId": secrets.token_hex(8), "Code": problem[0], "Message": problem[1]}
			)
		if params.get("Action") != "SendSms" or params.get("Version") != "2017-05-25":
			return Response(400, {"Code": "InvalidAction.NotFound", "Message": "Specified api is not found"})
		if self.fail_code:
			return Response(
				200, {"RequestId": secrets.token_hex(8), "Code": self.fail_code, "Message": "refused"}
			)
		self._accept(
			params["PhoneNumbers"],
			params.get("SignName"),
			params.get("TemplateCode"),
			json.loads(params["TemplateParam"]),
		)
		return Response(
			200,
			{"RequestId": secrets.token_hex(8), "Code": "OK", "Message": "OK", "BizId": secrets.token_hex(8)},
		)

	def _check(self, method: str, params: dict[str, str]) -> tuple[str, str] | None:
		signature = params.pop("Signature", "")
		if params.get("AccessKeyId") != self.key_id:
			return ("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
		if params.get("SignatureMethod") != "HMAC-SHA1" or params.get("SignatureVersion") != "1.0":
			return ("InvalidSignatureMethod", "Specified signature method is not supported.")
		try:
			sent = datetime.strptime(params.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(
				tzinfo=timezone.utc
			)
		except ValueError:
			return ("InvalidTimeStamp.Format", "Specified time stamp is not valid.")
		if abs(datetime.now(timezone.utc) - sent) > MAX_SKEW:
			return ("InvalidTimeStamp.Expired", "Specified time stamp has expired.")
		nonce = params.get("SignatureNonce", "")
		if not nonce or nonce in self.nonces:
			return ("SignatureNonceUsed", "Specified signature nonce was used already.")
		encode = lambda s: quote(s, safe="-_.~")  # noqa: E731
		query = "&".join(encode(k) + "=" + encode(params[k]) for k in sorted(params))
		string_to_sign = method.upper() + "&" + encode("/") + "&" + encode(query)
		expected = base64.b64encode(
			hmac.new((self.key_secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
		).decode()
		if not hmac.compare_digest(expected, signature):
			return ("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.")
		self.nonces.add(nonce)
		return None


class TencentSmsFake(SmsFake):
	"""sms.tencentcloudapi.com, API 3.0 with TC3-HMAC-SHA256."""

	def __init__(self, *args, sdk_app_id: str | None = None, **kwargs):
		super().__init__(*args, **kwargs)
		self.sdk_app_id = sdk_app_id or "1400" + str(secrets.randbelow(10**6)).zfill(6)

	def handle(self, request: Request) -> Response:
		problem = self._check(request)
		if problem:
			self.signature_failures += problem[0] == "AuthFailure.SignatureFailure"
			return self._reply({"Error": {"Code": problem[0], "Message": problem[1]}})
		body = request.json()
		if body.get("SmsSdkAppId") != self.sdk_app_id:
			return self._reply(
				{"Error": {"Code": "FailedOperation.SmsSdkAppIdVerifyFail", "Message": "bad app"}}
			)
		phone = (body.get("PhoneNumberSet") or [""])[0]
		if self.fail_code:
			return self._reply(
				{"SendStatusSet": [{"PhoneNumber": phone, "Code": self.fail_code, "Message": "refused"}]}
			)
		self._accept(
			phone, body.get("SignName"), body.get("TemplateId"), list(body.get("TemplateParamSet") or [])
		)
		return self._reply(
			{
				"SendStatusSet": [
					{
						"SerialNo": secrets.token_hex(8),
						"PhoneNumber": phone,
						"Code": "Ok",
						"Message": "send success",
					}
				]
			}
		)

	def _reply(self, response: dict) -> Response:
		return Response(200, {"Response": {**response, "RequestId": secrets.token_hex(8)}})

	def _check(self, request: Request) -> tuple[str, str] | None:
		h = request.headers
		if h.get("x-tc-action") != "SendSms" or h.get("x-tc-version") != "2021-01-11":
			return ("InvalidAction", "bad action or version")
		try:
			algorithm, fields = h.get("authorization", "").split(" ", 1)
			parts = dict(item.strip().split("=", 1) for item in fields.split(","))
			key_id, date, service, terminator = parts["Credential"].split("/")
			timestamp = int(h.get("x-tc-timestamp", ""))
		except (ValueError, KeyError):
			return ("AuthFailure.SignatureFailure", "malformed Authorization")
		if algorithm != "TC3-HMAC-SHA256" or service != "sms" or terminator != "tc3_request":
			return ("AuthFailure.SignatureFailure", "bad credential scope")
		if key_id != self.key_id:
			return ("AuthFailure.SecretIdNotFound", "The SecretId is not found")
		if abs(time.time() - timestamp) > MAX_SKEW.total_seconds():
			return ("AuthFailure.SignatureExpire", "Signature expired")
		if date != time.strftime("%Y-%m-%d", time.gmtime(timestamp)):
			return ("AuthFailure.SignatureFailure", "credential date does not match the timestamp")
		names = parts["SignedHeaders"].split(";")
		if "host" not in names or "content-type" not in names:
			return ("AuthFailure.SignatureFailure", "host and content-type must be signed")
		headers = "".join(f"{n}:{h.get(n, '').strip().lower()}\n" for n in names)
		canonical = (
			f"POST\n/\n\n{headers}\n{parts['SignedHeaders']}\n{hashlib.sha256(request.body).hexdigest()}"
		)
		to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{hashlib.sha256(canonical.encode()).hexdigest()}"
		key = ("TC3" + self.key_secret).encode()
		for part in (date, "sms", "tc3_request"):
			key = hmac.new(key, part.encode(), hashlib.sha256).digest()
		expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
		if not hmac.compare_digest(expected, parts.get("Signature", "")):
			return ("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
		return None
