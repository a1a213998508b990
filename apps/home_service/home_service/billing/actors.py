"""Who changed a payment when a provider told us: one named system user per payment gateway.

A webhook arrives as Guest (its trust is the signature over the body, not a session), so every
change it made showed as "Guest" in a booking's activity, its Version rows and its timeline. Once
a notification is verified, billing/notifications.py applies it as the provider's own user, as
Frappe's scheduler acts as Administrator: the activity then reads "微信支付 changed 付款状态 …",
and an auditor can tell a provider's change from a person's or an anonymous one.

The user is disabled and has no role: nobody can log in as it, and what it may do is what the
webhook code does with `ignore_permissions` anyway. Frappe makes a user without a desk role a
Website User, so it takes no System User seat.
"""

import re
from contextlib import contextmanager

import frappe

DOMAIN = "system.home"
# the name staff read in the activity (a user's name is data, not a translated label)
ACTOR_NAMES = {"WeChat Pay": "微信支付", "Alipay": "支付宝"}


def actor_email(gateway_name: str) -> str:
	slug = re.sub(r"[^a-z0-9]+", "", gateway_name.lower()) or "gateway"
	return f"{slug}@{DOMAIN}"


def ensure_actor(gateway_name: str) -> str:
	"""The gateway's user, created disabled on first use (install and migrate create the known ones)."""
	email = actor_email(gateway_name)
	if frappe.db.exists("User", email):
		return email
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": ACTOR_NAMES.get(gateway_name, gateway_name),
			"enabled": 0,
			"send_welcome_email": 0,
			"user_type": "Website User",
		}
	)
	user.flags.ignore_permissions = True
	user.flags.no_welcome_mail = True
	frappe.db.savepoint("hs_gateway_actor")
	try:
		user.insert()
	except frappe.DuplicateEntryError:  # a concurrent notification created it first
		frappe.db.rollback(save_point="hs_gateway_actor")
	return email


def ensure_actors() -> None:
	"""after_install / after_migrate: a user for every registered gateway that hears from a provider."""
	from home_service.billing.gateways import gateway_class, gateway_names

	for name in gateway_names():
		if gateway_class(name).customer_checkout or gateway_class(name).can_transfer():
			ensure_actor(name)


@contextmanager
def acting_for(gateway_name: str):
	"""Run the block as the gateway's user; the request's own session comes back afterwards."""
	session = frappe.local.session
	before = (session.user, session.sid, session.data, frappe.local.form_dict)
	frappe.set_user(ensure_actor(gateway_name))
	try:
		yield
	finally:
		frappe.set_user(before[0])
		session.sid, session.data, frappe.local.form_dict = before[1], before[2], before[3]
