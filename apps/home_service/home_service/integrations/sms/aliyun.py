"""Aliyun Dysmsapi 2017-05-25 SendSms, RPC style with the HMAC-SHA1 signature (SignatureVersion 1.0).

StringToSign = "POST&%2F&" + percent(canonical query); Signature = base64(HMAC-SHA1(secret + "&", it)).
Endpoint from site config `hs_aliyun_sms_endpoint` (default https://dysmsapi.aliyuncs.com).
"""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import datetime, timezone
from urllib.parse import quote

from home_service.integrations.base import conf_url, request_json
from home_service.integrations.sms.base import SmsError, SmsProvider

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com"


def percent(value: str) -> str:
	"""RFC 3986 encoding as Aliyun specifies it (space → %20, * → %2A, ~ kept)."""
	return quote(str(value), safe="~")


def string_to_sign(params: dict[str, str], method: str = "POST") -> str:
	canonical = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))
	return f"{method}&{percent('/')}&{percent(canonical)}"


def rpc_signature(params: dict[str, str], access_key_secret: str, method: str = "POST") -> str:
	digest = hmac.new(
		f"{access_key_secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1
	).digest()
	return base64.b64encode(digest).decode()


class AliyunSms(SmsProvider):
	name = "Aliyun"

	def send(self, phone: str, template: str, params: dict[str, str]) -> None:
		access_key_id, access_key_secret = self.credentials()
		settings = self.settings()
		form = {
			"AccessKeyId": access_key_id,
			"Action": "SendSms",
			"Format": "JSON",
			"RegionId": "cn-hangzhou",
			"SignatureMethod": "HMAC-SHA1",
			"SignatureNonce": uuid.uuid4().hex,
			"SignatureVersion": "1.0",
			"Timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
			"Version": "2017-05-25",
			"PhoneNumbers": phone,
			"SignName": settings.sms_sign_name or "",
			"TemplateCode": template,
			"TemplateParam": json.dumps(params, ensure_ascii=False, separators=(",", ":")),
		}
		form["Signature"] = rpc_signature(form, access_key_secret)
		body = request_json(
			"POST", conf_url("hs_aliyun_sms_endpoint", DEFAULT_ENDPOINT) + "/", "Aliyun SMS", data=form
		)
		if body.get("Code") != "OK":
			raise SmsError(str(body.get("Code") or "no code"))
