"""WeChat mini-program server API: code2session, getuserphonenumber and the access_token they need.

A small `requests` client rather than wechatpy: wechatpy 1.8.18 (2021) hard-codes
https://api.weixin.qq.com/cgi-bin/token in `fetch_access_token`, keeps the base URL in class
attributes of each API group, and has no getuserphonenumber call, so pointing it at a local fake means
patching its internals. The three calls below are the whole protocol we need.

The base URL comes from site config `hs_wechat_api_base` (default https://api.weixin.qq.com).
"""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils.password import decrypt, encrypt

from home_service.integrations.base import (
	InvalidLoginCodeError,
	LoginBlockedError,
	ProviderError,
	conf_url,
	log_provider_failure,
	request_json,
)

DEFAULT_BASE = "https://api.weixin.qq.com"
PROVIDER = "WeChat"
TOKEN_MARGIN = 300  # refresh the access_token this many seconds before WeChat expires it
SESSION_KEY_TTL = 3 * 24 * 3600

# errcode → (exception class, user-facing message); anything else is a provider failure
CODE_ERRORS = {
	40029: "invalid",  # invalid js_code
	40163: "invalid",  # code already used
	45011: "limited",  # API minute-level frequency limit for this user
	40226: "blocked",  # high-risk user
}
TOKEN_ERRORS = {40001, 40014, 42001}  # access_token invalid or expired


class SubscribeMessageError(ProviderError):
	"""WeChat refused a subscription message; `errcode` says why (43101: the user did not subscribe,
	40037: unknown template, 47003: data does not fit the template)."""

	def __init__(self, errcode: int):
		super().__init__(_("WeChat did not deliver the message."))
		self.errcode = errcode


@dataclass
class WxSession:
	openid: str
	unionid: str | None
	session_key: str = field(repr=False)


@dataclass
class WxPhone:
	phone: str
	country_code: str


class WeChatMiniProgram:
	def __init__(self, appid: str | None = None, secret: str | None = None):
		settings = frappe.get_cached_doc("HS Settings")
		self.appid = appid or settings.wechat_appid
		self._secret = secret or settings.get_password("wechat_secret", raise_exception=False)
		if not self.appid or not self._secret:
			# the client only sees a 502: the Error Log tells the operator what to fill in
			log_provider_failure(
				"WeChat", "not configured: set HS Settings > WeChat Mini Program AppID and WeChat AppSecret"
			)
			frappe.throw(_("WeChat login is not configured."), ProviderError)
		self.base = conf_url("hs_wechat_api_base", DEFAULT_BASE)

	def __repr__(self) -> str:
		return f"<WeChatMiniProgram {self.appid}>"

	# --- login ------------------------------------------------------------------------------
	def code2session(self, js_code: str) -> WxSession:
		"""openid, unionid and session_key for the `code` from wx.login()."""
		body = request_json(
			"GET",
			f"{self.base}/sns/jscode2session",
			PROVIDER,
			params={
				"appid": self.appid,
				"secret": self._secret,
				"js_code": js_code,
				"grant_type": "authorization_code",
			},
		)
		self._raise_for_errcode(body, "jscode2session")
		if not body.get("openid") or not body.get("session_key"):
			self._fail("jscode2session answered without openid")
		session = WxSession(body["openid"], body.get("unionid") or None, body["session_key"])
		body.clear()
		return session

	def store_session_key(self, session: WxSession) -> None:
		"""Keep session_key on the server only, encrypted, for decrypting signed user data later."""
		frappe.cache.set(
			_session_cache_key(self.appid, session.openid), encrypt(session.session_key), ex=SESSION_KEY_TTL
		)

	def session_key_for(self, openid: str) -> str | None:
		stored = frappe.cache.get(_session_cache_key(self.appid, openid))
		return decrypt(stored.decode() if isinstance(stored, bytes) else stored) if stored else None

	# --- phone number -----------------------------------------------------------------------
	def phone_number(self, code: str) -> WxPhone:
		"""The phone number behind the `code` from a getPhoneNumber button."""
		for attempt in range(2):
			body = request_json(
				"POST",
				f"{self.base}/wxa/business/getuserphonenumber",
				PROVIDER,
				params={"access_token": self.access_token(refresh=attempt > 0)},
				json={"code": code},
			)
			if body.get("errcode") not in TOKEN_ERRORS:
				break
		self._raise_for_errcode(body, "getuserphonenumber")
		info = body.get("phone_info") or {}
		if (info.get("watermark") or {}).get("appid") != self.appid:
			self._fail("getuserphonenumber watermark is for another appid")
		return WxPhone(
			phone=info.get("purePhoneNumber") or "", country_code=str(info.get("countryCode") or "")
		)

	# --- subscription messages ---------------------------------------------------------------
	def send_subscribe_message(
		self, openid: str, template_id: str, data: dict[str, str], page: str | None = None
	) -> None:
		"""One subscription message (订阅消息) to a user who subscribed to `template_id` in the
		mini-program. `data` maps the template's keys (thing1, time2, ...) to their values."""
		payload = {
			"touser": openid,
			"template_id": template_id,
			"data": {key: {"value": str(value)} for key, value in data.items()},
			"miniprogram_state": frappe.conf.get("hs_wechat_miniprogram_state") or "formal",
			"lang": "zh_CN",
		}
		if page:
			payload["page"] = page
		for attempt in range(2):
			body = request_json(
				"POST",
				f"{self.base}/cgi-bin/message/subscribe/send",
				PROVIDER,
				params={"access_token": self.access_token(refresh=attempt > 0)},
				json=payload,
			)
			if body.get("errcode") not in TOKEN_ERRORS:
				break
		errcode = int(body.get("errcode") or 0)
		if errcode:
			raise SubscribeMessageError(errcode)

	def access_token(self, refresh: bool = False) -> str:
		"""The stable access_token, cached in Redis until shortly before WeChat expires it."""
		cache_key = frappe.cache.make_key(f"hs_wx_access_token:{self.appid}")
		if not refresh:
			cached_token = frappe.cache.get(cache_key)
			if cached_token:
				return decrypt(cached_token.decode())
		with frappe.cache.lock(f"{cache_key}:lock", timeout=15, blocking_timeout=15):
			cached_token = None if refresh else frappe.cache.get(cache_key)
			if cached_token:
				return decrypt(cached_token.decode())
			body = request_json(
				"POST",
				f"{self.base}/cgi-bin/stable_token",
				PROVIDER,
				json={
					"grant_type": "client_credential",
					"appid": self.appid,
					"secret": self._secret,
					"force_refresh": False,
				},
			)
			self._raise_for_errcode(body, "stable_token")
			new_token = body.get("access_token")
			if not new_token:
				self._fail("stable_token answered without access_token")
			ttl = max(int(body.get("expires_in") or 7200) - TOKEN_MARGIN, 60)
			frappe.cache.set(cache_key, encrypt(new_token), ex=ttl)
			return new_token

	# --- errors -----------------------------------------------------------------------------
	def _raise_for_errcode(self, body: dict, api: str) -> None:
		errcode = body.get("errcode") or 0
		if not errcode:
			return
		kind = CODE_ERRORS.get(errcode)
		if kind == "invalid":
			frappe.throw(
				_("The WeChat code is invalid or has expired. Please try again."), InvalidLoginCodeError
			)
		if kind == "limited":
			frappe.throw(
				_("Too many WeChat logins. Please try again in a minute."), frappe.RateLimitExceededError
			)
		if kind == "blocked":
			frappe.throw(_("WeChat refused this login for security reasons."), LoginBlockedError)
		self._fail(f"{api} errcode {int(errcode)}")

	def _fail(self, detail: str):
		log_provider_failure(PROVIDER, detail)
		frappe.throw(_("WeChat is not available right now. Please try again later."), ProviderError)


def _session_cache_key(appid: str, openid: str) -> str:
	return frappe.cache.make_key(f"hs_wx_session_key:{appid}:{openid}")
