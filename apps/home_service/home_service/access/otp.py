"""One-time SMS codes for login.

- 6 digits from `secrets`, stored in Redis only as an HMAC (site encryption key) of purpose, phone
  and code, for 5 minutes; single use; at most 5 verifications, then the code is dead.
- Send limits per normalised phone number (1 a minute, 5 an hour, 10 a day) plus a site-wide daily
  budget. They are keyed by the number, never by the client IP, so a rotating X-Forwarded-For
  gains nothing. Redis down means no code is sent (every step raises): the limits fail closed.
- The reply is the same for every valid number, registered or not.
- The code never leaves this module except towards the SMS provider: no log line, no response, no
  background job argument; on a provider failure only the provider's error code is logged. (The
  development Console provider writes its messages to the Error Log; `console_code` reads them back.)
"""

import hashlib
import hmac
import re
import secrets
from typing import NoReturn

import frappe
from frappe import _
from frappe.utils import cint
from frappe.utils.password import get_encryption_key

from home_service.integrations.base import ProviderError, log_provider_failure, mask_phone
from home_service.integrations.sms import SmsError, get_provider
from home_service.integrations.sms.console import logged_codes

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
CODE_TTL = 300
MAX_ATTEMPTS = 5
SEND_LIMITS = ((60, 1), (3600, 5), (86400, 10))  # (window seconds, codes per window) per number
DAILY_BUDGET = 5000  # site-wide codes a day unless site config hs_sms_daily_budget says otherwise
LOGIN = "login"


class InvalidPhoneError(frappe.ValidationError):
	pass


class InvalidCodeError(frappe.AuthenticationError):
	"""Wrong, used, expired or exhausted code, or (same answer on purpose) no such technician."""


class TooManyCodesError(frappe.RateLimitExceededError):
	pass


def normalise_phone(phone: str | None) -> str:
	"""A mainland China mobile number as 11 digits (+86, 0086, spaces and dashes removed)."""
	digits = re.sub(r"[\s\-()]", "", phone or "")
	for prefix in ("+86", "0086", "86"):
		if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
			digits = digits[len(prefix) :]
			break
	if not PHONE_RE.match(digits):
		frappe.throw(_("Please enter a valid mainland China mobile number."), InvalidPhoneError)
	return digits


def send_code(phone: str, purpose: str = LOGIN) -> dict:
	"""Send a new code to `phone`; the reply is the same for every valid number."""
	phone = normalise_phone(phone)
	_take_send_quota(phone)
	if not _deliver(phone, purpose):
		frappe.throw(_("The text message could not be sent. Please try again later."), ProviderError)
	return {"sent": True, "expires_in": CODE_TTL, "resend_after": SEND_LIMITS[0][0]}


def verify_code(phone: str, code: str, purpose: str = LOGIN) -> str:
	"""The normalised phone when `code` is right; the code is then used up. Else InvalidCodeError."""
	phone = normalise_phone(phone)
	code_key, attempts_key = _keys(phone, purpose)
	attempts = frappe.cache.incr(attempts_key)
	if attempts == 1:
		frappe.cache.expire(attempts_key, CODE_TTL)
	stored = frappe.cache.get(code_key)
	if attempts > MAX_ATTEMPTS:
		frappe.cache.delete(code_key)
		stored = None
	submitted = _digest(phone, purpose, str(code or "").strip())
	if not stored or not hmac.compare_digest(stored.decode(), submitted):
		reject_code()
	if not frappe.cache.delete(code_key):  # a concurrent request used it first
		reject_code()
	frappe.cache.delete(attempts_key)
	return phone


def reject_code() -> NoReturn:
	"""The one answer for a wrong, used, expired or exhausted code (and for "no such technician")."""
	frappe.throw(_("The code is wrong or has expired. Please request a new one."), InvalidCodeError)


def console_code(phone: str, purpose: str = LOGIN) -> str | None:
	"""Development (`bench hs-last-code`): the code the Console provider logged that is still valid
	for `phone`, left unused; None when there is none (expired, used, or another provider sent it)."""
	phone = normalise_phone(phone)
	stored = frappe.cache.get(_keys(phone, purpose)[0])
	if not stored:
		return None
	for candidate in logged_codes(mask_phone(phone)):
		if hmac.compare_digest(stored.decode(), _digest(phone, purpose, candidate)):
			return candidate
	return None


# --- internals -------------------------------------------------------------------------------
def _deliver(phone: str, purpose: str) -> bool:
	"""Store and send a fresh code. False (and nothing stored) when the provider failed."""
	code_key, attempts_key = _keys(phone, purpose)
	otp_secret = f"{secrets.randbelow(10**6):06d}"
	pipe = frappe.cache.pipeline()
	pipe.set(code_key, _digest(phone, purpose, otp_secret), ex=CODE_TTL)
	pipe.set(attempts_key, 0, ex=CODE_TTL)
	pipe.execute()
	settings = frappe.get_cached_doc("HS Settings")
	try:
		get_provider(settings.sms_provider).send(
			phone, settings.sms_login_template or "", {"code": otp_secret}
		)
		return True
	except SmsError as exc:
		failure = f"{settings.sms_provider} refused the message to {mask_phone(phone)}: {exc.provider_code}"
	except ProviderError:
		failure = f"{settings.sms_provider} could not be reached for {mask_phone(phone)}"
	except Exception as exc:
		failure = f"{settings.sms_provider} failed for {mask_phone(phone)}: {type(exc).__name__}"
	del otp_secret
	frappe.cache.delete(code_key, attempts_key)
	log_provider_failure("SMS", failure)
	return False


def _take_send_quota(phone: str) -> None:
	"""Count this send in every window; if any is over its limit, give the counts back and refuse."""
	counters = [
		(frappe.cache.make_key(f"hs_otp_sent:{window}:{phone}"), window, limit)
		for window, limit in SEND_LIMITS
	]
	budget_key = frappe.cache.make_key(f"hs_otp_sent:budget:{frappe.utils.today()}")
	counters.append((budget_key, 86400, cint(frappe.conf.get("hs_sms_daily_budget")) or DAILY_BUDGET))
	pipe = frappe.cache.pipeline()
	for key, _window, _limit in counters:
		pipe.incr(key)
		pipe.ttl(key)
	replies = pipe.execute()
	counts = replies[::2]
	for (key, window, _limit), ttl in zip(counters, replies[1::2], strict=True):
		if ttl < 0:  # first count in this window (or a counter left without expiry): start the window
			frappe.cache.expire(key, window)
	if all(count <= limit for count, (_key, _window, limit) in zip(counts, counters, strict=True)):
		return
	pipe = frappe.cache.pipeline()
	for key, _window, _limit in counters:
		pipe.decr(key)
	pipe.execute()
	if counts[-1] > counters[-1][2]:
		log_provider_failure("SMS", "site-wide daily SMS budget used up (site config hs_sms_daily_budget)")
	frappe.throw(
		_("Too many codes were requested for this number. Please try again later."), TooManyCodesError
	)


def _keys(phone: str, purpose: str) -> tuple[str, str]:
	return (
		frappe.cache.make_key(f"hs_otp:{purpose}:{phone}"),
		frappe.cache.make_key(f"hs_otp_attempts:{purpose}:{phone}"),
	)


def _digest(phone: str, purpose: str, code: str) -> str:
	return hmac.new(
		get_encryption_key().encode(), f"{purpose}:{phone}:{code}".encode(), hashlib.sha256
	).hexdigest()
