"""Alipay open platform: `alipay.system.oauth.token` (auth_code → user_id) via python-alipay-sdk.

python-alipay-sdk (fzlee) signs requests with RSA2 (SHA256withRSA, app private key) and verifies the
signature of the synchronous response (Alipay public key) over the exact JSON text of the inner
object. Its gateway is a constructor choice, so we set `_gateway` from site config `hs_alipay_gateway`
(default https://openapi.alipay.com/gateway.do), the one override the library needs for a fake.
"""

import base64
import binascii
from dataclasses import dataclass

from alipay import AliPay
from alipay.exceptions import AliPayException, AliPayValidationError
from alipay.utils import AliPayConfig

import frappe
from frappe import _

from home_service.integrations.base import (
	InvalidLoginCodeError,
	ProviderError,
	conf_url,
	log_provider_failure,
)
from home_service.utils.db_retry import outside_effect

DEFAULT_GATEWAY = "https://openapi.alipay.com/gateway.do"
PROVIDER = "Alipay"
INVALID_CODE_SUB_CODES = {"isv.code-invalid", "isv.invalid-auth-code", "isv.auth-code-expired"}


@dataclass
class AlipayIdentity:
	user_id: str | None
	open_id: str | None


def pem_key(value: str, private: bool) -> str | bytes:
	"""Keys as Alipay's console shows them (bare base64) or as PEM; bare ones become DER bytes."""
	value = (value or "").strip()
	if "-----BEGIN" in value:
		return value
	try:
		return base64.b64decode("".join(value.split()), validate=True)
	except (binascii.Error, ValueError):
		frappe.throw(_("The Alipay {0} key is not valid.").format(_("private") if private else _("public")))


class AlipayClient:
	def __init__(self):
		settings = frappe.get_cached_doc("HS Settings")
		private_key = settings.get_password("alipay_private_key", raise_exception=False)
		if not settings.alipay_appid or not private_key or not settings.alipay_public_key:
			# the client only sees a 502: the Error Log tells the operator what to fill in
			log_provider_failure(
				"Alipay",
				"not configured: set HS Settings > Alipay App ID, App Private Key and Alipay Public Key",
			)
			frappe.throw(_("Alipay login is not configured."), ProviderError)
		self.appid = settings.alipay_appid
		self._sdk = AliPay(
			appid=settings.alipay_appid,
			app_private_key_string=pem_key(private_key, private=True),
			alipay_public_key_string=pem_key(settings.alipay_public_key, private=False),
			sign_type="RSA2",
			config=AliPayConfig(timeout=10),
		)
		self._sdk._gateway = conf_url("hs_alipay_gateway", DEFAULT_GATEWAY)

	def __repr__(self) -> str:
		return f"<AlipayClient {self.appid}>"

	def oauth_token(self, auth_code: str) -> AlipayIdentity:
		"""Exchange the mini-program's auth_code (my.getAuthCode) for the user's id."""
		outside_effect(f"{PROVIDER} oauth token")
		failure = None
		try:
			result = self._sdk.server_api(
				"alipay.system.oauth.token", grant_type="authorization_code", code=auth_code
			)
		except AliPayValidationError:
			failure = "response signature did not verify"
		except AliPayException as exc:
			failure = _error_kind(exc)
		except Exception as exc:
			failure = f"unreachable ({type(exc).__name__})"
		if failure == "invalid code":
			frappe.throw(
				_("The Alipay code is invalid or has expired. Please try again."), InvalidLoginCodeError
			)
		if failure:
			log_provider_failure(PROVIDER, f"alipay.system.oauth.token: {failure}")
			frappe.throw(_("Alipay is not available right now. Please try again later."), ProviderError)
		identity = AlipayIdentity(result.get("user_id") or None, result.get("open_id") or None)
		if not identity.user_id and not identity.open_id:
			log_provider_failure(PROVIDER, "alipay.system.oauth.token answered without a user id")
			frappe.throw(_("Alipay is not available right now. Please try again later."), ProviderError)
		return identity


def _error_kind(exc: AliPayException) -> str:
	"""AliPayException carries the raw error JSON; keep only its codes."""
	text = str(exc)
	if any(sub_code in text for sub_code in INVALID_CODE_SUB_CODES):
		return "invalid code"
	code = getattr(exc, "_AliPayException__code", None)
	return f"error code {code}"
