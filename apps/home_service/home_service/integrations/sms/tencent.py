"""Tencent Cloud SMS 2021-01-11 SendSms, signed with TC3-HMAC-SHA256 (API 3.0 signature v3).

Endpoint from site config `hs_tencent_sms_endpoint` (default https://sms.tencentcloudapi.com), region
from `hs_tencent_sms_region` (default ap-guangzhou).
"""

import hashlib
import hmac
import json
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

import frappe

from home_service.integrations.base import conf_url, request_json
from home_service.integrations.sms.base import SmsError, SmsProvider

DEFAULT_ENDPOINT = "https://sms.tencentcloudapi.com"
SERVICE, VERSION, ACTION = "sms", "2021-01-11", "SendSms"
CONTENT_TYPE = "application/json; charset=utf-8"


def _hmac(key: bytes, msg: str) -> bytes:
	return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def tc3_signature(
	secret_key: str, headers: dict[str, str], payload: str, timestamp: int, service: str = SERVICE
) -> tuple[str, str, str]:
	"""(signed header names, credential scope, hex signature) for a POST / with a JSON body.

	`headers` maps lower-case names to the values sent; names and values are signed lower-cased.
	"""
	date = datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")
	names = sorted(headers)
	canonical_headers = "".join(f"{name}:{headers[name].strip().lower()}\n" for name in names)
	signed_headers = ";".join(names)
	canonical_request = "\n".join(
		["POST", "/", "", canonical_headers, signed_headers, hashlib.sha256(payload.encode()).hexdigest()]
	)
	scope = f"{date}/{service}/tc3_request"
	to_sign = "\n".join(
		["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
	)
	signing_key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
	return signed_headers, scope, hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()


class TencentSms(SmsProvider):
	name = "Tencent"

	def send(self, phone: str, template: str, params: dict[str, str]) -> None:
		secret_id, secret_key = self.credentials()
		settings = self.settings()
		endpoint = conf_url("hs_tencent_sms_endpoint", DEFAULT_ENDPOINT)
		host = urlsplit(endpoint).netloc
		payload = json.dumps(
			{
				"PhoneNumberSet": [f"+86{phone}"],
				"SmsSdkAppId": settings.sms_app_id or "",
				"SignName": settings.sms_sign_name or "",
				"TemplateId": template,
				"TemplateParamSet": [str(v) for v in params.values()],
			},
			ensure_ascii=False,
			separators=(",", ":"),
		)
		timestamp = int(time.time())
		signed_headers, scope, signature = tc3_signature(
			secret_key,
			{"content-type": CONTENT_TYPE, "host": host, "x-tc-action": ACTION},
			payload,
			timestamp,
		)
		headers = {
			"Authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
			f"SignedHeaders={signed_headers}, Signature={signature}",
			"Content-Type": CONTENT_TYPE,
			"Host": host,
			"X-TC-Action": ACTION,
			"X-TC-Timestamp": str(timestamp),
			"X-TC-Version": VERSION,
			"X-TC-Region": frappe.conf.get("hs_tencent_sms_region") or "ap-guangzhou",
		}
		body = request_json("POST", endpoint + "/", "Tencent SMS", data=payload.encode(), headers=headers)
		response = body.get("Response") or {}
		if response.get("Error"):
			raise SmsError(str(response["Error"].get("Code") or "error"))
		statuses = response.get("SendStatusSet") or [{}]
		if statuses[0].get("Code") != "Ok":
			raise SmsError(str(statuses[0].get("Code") or "no status"))
