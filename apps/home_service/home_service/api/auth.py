"""Login and identity for the mini-programs and the technician app.

Every login answers {"token", "expires_on", "header": "X-HS-Token", "customer" | "technician"}; the
client then sends `X-HS-Token: <token>` (see access/tokens.py). Provider secrets, WeChat's session_key
and OTP codes never appear in a response. Guest endpoints are limited per client IP here (the
address access/client_ip.py settles: X-Forwarded-For counts only from the site's trusted proxies)
and per phone number / code in access/otp.py (the limits no address can dodge).
"""

import re

import frappe
from frappe import _
from frappe.utils import cint

from home_service.access import accounts, otp, tokens
from home_service.access.rate_limits import rate_limit
from home_service.access.scrub import scrubbed_errors
from home_service.api.registry import endpoint
from home_service.customers.doctype.hs_customer.hs_customer import customer_of
from home_service.integrations.alipay import AlipayClient
from home_service.integrations.base import mask_phone
from home_service.integrations.wechat import WeChatMiniProgram
from home_service.utils.db_retry import reused_on_retry
from home_service.utils.text import InvalidInputError
from home_service.workforce.doctype.hs_technician.hs_technician import technician_of

WECHAT, ALIPAY, H5, TECHNICIAN_APP = "WeChat Mini Program", "Alipay Mini Program", "H5", "Technician App"
RATE_WINDOW = 60


PROVIDER_CODE = re.compile(r"^[\x21-\x7e]{1,256}$")  # codes from wx.login / my.getAuthCode: visible ASCII


def provider_code(value, label: str) -> str:
	"""A one-time code for WeChat / Alipay, checked before any provider is asked (422 if malformed)."""
	if not isinstance(value, str) or not PROVIDER_CODE.match(value):
		frappe.throw(_("The {0} is missing or malformed.").format(label), InvalidInputError)
	return value


def login_limit() -> int:
	"""Login calls a minute per client IP (site config hs_login_rate_limit)."""
	return cint(frappe.conf.get("hs_login_rate_limit")) or 30


def send_limit() -> int:
	"""Code requests a minute per client IP (site config hs_sms_ip_rate_limit)."""
	return cint(frappe.conf.get("hs_sms_ip_rate_limit")) or 10


class PhoneTakenError(frappe.ValidationError):
	http_status_code = 409


@endpoint(methods=("POST",), guest=True)
@rate_limit(limit=login_limit, seconds=RATE_WINDOW)
@scrubbed_errors
def wechat_login(code: str) -> dict:
	"""Log in with the code from wx.login()

	The first login creates the customer. WeChat's session_key stays on the server.
	"""
	code = provider_code(code, _("WeChat login code"))
	client = WeChatMiniProgram()
	# a code works once: a retry after a deadlock gets the same session back (utils/db_retry.py)
	session = reused_on_retry(("wx.login", code), client.code2session, code)
	client.store_session_key(session)
	customer = accounts.customer_for(
		"wechat_openid",
		session.openid,
		WECHAT,
		_("WeChat user"),
		wechat_unionid=session.unionid,
	)
	return accounts.login_response(WECHAT, customer=customer)


@endpoint(methods=("POST",), roles=("HS Customer",))
@scrubbed_errors
def wechat_bind_phone(code: str) -> dict:
	"""Set the customer's mobile number from a getPhoneNumber button's code

	A number that belongs to another customer is refused with 409 (accounts are not merged here).
	"""
	customer = customer_of()
	if not customer:
		frappe.throw(_("This account is not a customer."), frappe.PermissionError)
	code = provider_code(code, _("phone number code"))
	number = reused_on_retry(("getPhoneNumber", code), WeChatMiniProgram().phone_number, code)
	if number.country_code not in ("86", ""):
		frappe.throw(_("Please enter a valid mainland China mobile number."), otp.InvalidPhoneError)
	phone = otp.normalise_phone(number.phone)
	taken = frappe.db.exists(
		"HS Customer", {"mobile_no": ["in", accounts.phone_variants(phone)], "name": ["!=", customer]}
	)
	if taken:
		_phone_taken()
	doc = frappe.get_doc("HS Customer", customer)
	doc.mobile_no = phone
	doc.flags.ignore_permissions = True
	try:
		doc.save()
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		_phone_taken()
	return {"customer": customer, "mobile_no": mask_phone(phone)}


def _phone_taken():
	frappe.throw(
		_("This mobile number is already used by another account. Please contact customer service."),
		PhoneTakenError,
	)


@endpoint(methods=("POST",), guest=True)
@rate_limit(limit=login_limit, seconds=RATE_WINDOW)
@scrubbed_errors
def alipay_login(auth_code: str) -> dict:
	"""Log in with the authCode from my.getAuthCode()

	The first login creates the customer.
	"""
	auth_code = provider_code(auth_code, _("Alipay auth code"))
	# apps in open_id mode get no user_id
	identity = reused_on_retry(("my.getAuthCode", auth_code), AlipayClient().oauth_token, auth_code)
	customer = accounts.customer_for(
		"alipay_user_id", identity.user_id or identity.open_id, ALIPAY, _("Alipay user")
	)
	return accounts.login_response(ALIPAY, customer=customer)


@endpoint(methods=("POST",), guest=True)
@rate_limit(limit=send_limit, seconds=RATE_WINDOW)
@scrubbed_errors
def sms_send_code(phone: str) -> dict:
	"""Text a 6-digit login code to a mainland China mobile number

	The answer is the same for every valid number. Limits per number: 1 a minute, 5 an hour, 10 a day.
	"""
	return otp.send_code(phone)


@endpoint(methods=("POST",), guest=True)
@rate_limit(limit=login_limit, seconds=RATE_WINDOW)
@scrubbed_errors
def sms_login(phone: str, code: str, as_technician: bool = False) -> dict:
	"""Log in with a texted code

	Customers are created on first login. With as_technician, only a number registered for a
	technician logs in; any other gets the same answer as a wrong code.
	"""
	phone = reused_on_retry(("sms code", phone, code), otp.verify_code, phone, code)
	if as_technician:
		technician = accounts.technician_for_phone(phone)
		if not technician:
			otp.reject_code()
		accounts.ensure_technician_user(technician)
		return accounts.login_response(TECHNICIAN_APP, technician=technician)
	customer = accounts.customer_for("mobile_no", phone, H5, _("Customer {0}").format(mask_phone(phone)))
	return accounts.login_response(H5, customer=customer)


@endpoint(methods=("POST",))
def logout() -> dict:
	"""Revoke the token this request was made with"""
	if getattr(frappe.local, "hs_token_hash", None):
		tokens.revoke_current()
	elif getattr(frappe.local, "login_manager", None):
		frappe.local.login_manager.logout()
	return {"logged_out": True}


@endpoint(methods=("GET",))
def me() -> dict:
	"""Who is logged in: user, our roles, and the customer or technician record"""
	user = frappe.session.user
	return {
		"user": user,
		"full_name": frappe.utils.get_fullname(user),
		"roles": sorted(role for role in frappe.get_roles(user) if role.startswith("HS ")),
		"customer": customer_of(user),
		"technician": technician_of(user),
	}
