"""Who a login belongs to: find or create the HS Customer (and its Website User), or the technician's User.

Users made here are Website Users (no Desk) without a password (Frappe refuses every password for a
User that has none) and with an address under a reserved domain, so nothing is ever mailed to them;
they log in only through our tokens. (A password would also be one more row written per first login:
Frappe's upsert into __Auth takes gap locks that deadlocked concurrent first logins.)
"""

import frappe
from frappe import _
from frappe.translate import get_all_languages, get_parent_language

from home_service.access.tokens import issue_token

USER_DOMAIN = "mp.home-service.invalid"
CUSTOMER_ROLE, TECHNICIAN_ROLE = "HS Customer", "HS Technician"


DEFAULT_AVATAR = "/assets/home_service/images/avatar.svg"


class AccountUnavailableError(frappe.AuthenticationError):
	"""Blacklisted customer or disabled user (401: a guest's 403 would lose this message)."""


def phone_variants(phone: str) -> list[str]:
	"""How a normalised number may have been typed into Desk."""
	return [phone, f"+86{phone}", f"+86 {phone}", f"86{phone}"]


def new_website_user(first_name: str, prefix: str, role: str) -> str:
	"""A User with `role` from the start: granting it later (HS Customer / HS Technician on_update) would
	save the User a second time, and a first login is a transaction many run at once."""
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": f"{prefix}-{frappe.generate_hash(length=16)}@{USER_DOMAIN}",
			"first_name": first_name,
			"user_type": "Website User",
			"send_welcome_email": 0,
			# with an image Frappe does not look the address up on gravatar.com on every save: no
			# outbound call per login, and no hash of a user's address sent abroad
			"user_image": DEFAULT_AVATAR,
			"roles": [{"role": role}],
			"language": client_language(),
		}
	)
	user.flags.ignore_permissions = True
	user.insert()
	return user.name


def client_language() -> str | None:
	"""The language the client's Accept-Language asks for (the H5 app sends zh-CN: zh), so that what
	the site later sends the person (inbox, SMS, order notes) is in it; None (the site's default)
	outside a request or for a language the site lacks. Read here, not from frappe.local.lang: Frappe
	v15 picks that before it knows the request is a guest's, so an API call never gets the header's."""
	request = getattr(frappe.local, "request", None)
	if not request:
		return None
	known = set(get_all_languages())
	for asked in request.accept_languages.values():
		for lang in (asked, get_parent_language(asked)):  # zh-CN, then zh
			if lang in known:
				return lang
	return None


def customer_for(field: str, value: str, channel: str, customer_name: str, **extra) -> str:
	"""The HS Customer whose `field` is `value`, created (with a User) on first login."""
	filters = {field: ["in", phone_variants(value)]} if field == "mobile_no" else {field: value}
	name = frappe.db.get_value("HS Customer", filters, "name")
	if not name:
		name = _create_customer(field, value, channel, customer_name, extra) or frappe.db.get_value(
			"HS Customer", filters, "name"
		)
	return ensure_customer_user(name)


def ensure_customer_user(customer: str) -> str:
	doc = frappe.get_doc("HS Customer", customer)
	if doc.status == "Blacklisted":
		frappe.throw(
			_("This account cannot log in. Please contact customer service."), AccountUnavailableError
		)
	if not doc.user:
		doc.user = new_website_user(doc.customer_name, "cu", CUSTOMER_ROLE)
		doc.flags.ignore_permissions = True
		doc.save()
	_check_enabled(doc.user)
	return doc.name


def _create_customer(field: str, value: str, channel: str, customer_name: str, extra: dict) -> str | None:
	"""Insert under a savepoint; None when a concurrent login created the same customer first."""
	frappe.db.savepoint("hs_new_customer")
	try:
		doc = frappe.get_doc(
			{
				"doctype": "HS Customer",
				"customer_name": customer_name,
				"acquisition_channel": channel,
				field: value,
				**extra,
				"user": new_website_user(customer_name, "cu", CUSTOMER_ROLE),
			}
		)
		doc.insert(ignore_permissions=True)
		return doc.name
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.db.rollback(save_point="hs_new_customer")
		return None


def technician_for_phone(phone: str) -> str | None:
	return frappe.db.get_value("HS Technician", {"mobile_no": ["in", phone_variants(phone)]}, "name")


def ensure_technician_user(technician: str) -> str:
	doc = frappe.get_doc("HS Technician", technician)
	if not doc.user:
		doc.user = new_website_user(doc.technician_name, "tc", TECHNICIAN_ROLE)
		doc.flags.ignore_permissions = True
		doc.save()
	_check_enabled(doc.user)
	return doc.user


def _check_enabled(user: str) -> None:
	if not frappe.db.get_value("User", user, "enabled"):
		frappe.throw(
			_("This account cannot log in. Please contact customer service."), AccountUnavailableError
		)


def login_response(client: str, customer: str | None = None, technician: str | None = None) -> dict:
	"""A new token plus who it is for: {"token", "expires_on", "header", "customer" | "technician"}."""
	if technician:
		user = frappe.db.get_value("HS Technician", technician, "user")
		return {**issue_token(user, client), "technician": technician}
	user = frappe.db.get_value("HS Customer", customer, "user")
	return {**issue_token(user, client), "customer": customer}


USER_THROTTLE = 5000


def ensure_user_throttle() -> None:
	"""Customers and technicians become Users at their first login; Frappe refuses a new User once
	`throttle_user_limit` (default 60) were created in the last hour, which would turn away every
	new customer after the 60th in an hour. Raise it once, unless the site already chose a value.
	Logins stay bounded by proof of a WeChat/Alipay code or an SMS code (per-number limits and the
	daily SMS budget) and by the per-IP limits of the login endpoints."""
	from frappe.installer import update_site_config

	if frappe.get_site_config().get("throttle_user_limit") is None:
		update_site_config("throttle_user_limit", USER_THROTTLE)
