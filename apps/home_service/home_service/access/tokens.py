"""Our own bearer tokens for mini-program calls: random, stored only as a SHA-256 hash, expiring,
revocable. The client sends `X-HS-Token: <token>`; the `auth_hooks` entry below sets the user.

A WeChat `session_key` never leaves the server: the mini-program only ever holds this token.
"""

import hashlib
import secrets

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, get_datetime, now_datetime

HEADER = "X-HS-Token"
PREFIX = "hs_"
CACHE_SECONDS = 300


def _hash(token: str) -> str:
	return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: str, client: str) -> dict:
	"""A new token for `user`; the plain value is returned once and never stored."""
	token = PREFIX + secrets.token_urlsafe(32)
	days = cint(frappe.db.get_single_value("HS Settings", "token_ttl_days")) or 30
	expires_on = add_to_date(now_datetime(), days=days)
	frappe.get_doc(
		{
			"doctype": "HS Access Token",
			"user": user,
			"client": client,
			"token_hash": _hash(token),
			"token_hint": token[-4:],
			"expires_on": expires_on,
			"created_ip": getattr(frappe.local, "request_ip", None),
		}
	).insert(ignore_permissions=True)
	return {"token": token, "expires_on": str(expires_on), "header": HEADER}


def user_for_token(token: str) -> str:
	return valid_token(token)["user"]


def valid_token(token: str) -> dict:
	"""The token's cached entry (name, user, client, expires_on, revoked); refused when it is
	unknown, expired or revoked, or its user is disabled."""
	digest = _hash(token)
	cached = frappe.cache.get_value(f"hs_token:{digest}")
	if cached is None:
		row = frappe.db.get_value(
			"HS Access Token",
			{"token_hash": digest},
			["name", "user", "client", "expires_on", "revoked"],
			as_dict=True,
		)
		cached = row and {
			"name": row.name,
			"user": row.user,
			"client": row.client,
			"expires_on": str(row.expires_on),
			"revoked": row.revoked,
		}
		frappe.cache.set_value(f"hs_token:{digest}", cached or {}, expires_in_sec=CACHE_SECONDS)
	if not cached or cached.get("revoked") or get_datetime(cached["expires_on"]) <= now_datetime():
		raise frappe.AuthenticationError(_("Your login has expired. Please log in again."))
	if not frappe.db.get_value("User", cached["user"], "enabled"):
		raise frappe.AuthenticationError(_("This account is disabled."))
	return cached


def token_client() -> str | None:
	"""The client (mini-program) the caller's token was issued to; None without a token."""
	digest = getattr(frappe.local, "hs_token_hash", None)
	if not digest:
		return None
	known = getattr(frappe.local, "hs_token_client", None)  # (digest, client): authenticate_request
	if known and known[0] == digest and known[1]:
		return known[1]
	return frappe.db.get_value("HS Access Token", {"token_hash": digest}, "client")


def is_token_request() -> bool:
	"""Whether this request was authenticated by an X-HS-Token (a mini-program's session)."""
	return bool(getattr(frappe.local, "hs_token_hash", None))


def authenticate_request() -> None:
	"""`auth_hooks` entry: a request carrying X-HS-Token runs as the token's user."""
	token = frappe.get_request_header(HEADER)
	if not token:
		return
	if not token.startswith(PREFIX) or len(token) > 200:
		raise frappe.AuthenticationError(_("Your login has expired. Please log in again."))
	entry = valid_token(token)
	form_dict = frappe.local.form_dict  # set_user() clears the request's arguments; keep them
	frappe.set_user(entry["user"])
	frappe.local.form_dict = form_dict
	frappe.local.hs_token_hash = digest = _hash(token)
	frappe.local.hs_token_client = (digest, entry.get("client"))


def revoke_current() -> None:
	digest = getattr(frappe.local, "hs_token_hash", None)
	if digest:
		revoke({"token_hash": digest})


def revoke(filters: dict) -> int:
	"""Revoke matching tokens at once (the cache entry goes too, so the next call is refused)."""
	rows = frappe.get_all("HS Access Token", filters={**filters, "revoked": 0}, fields=["name", "token_hash"])
	for row in rows:
		frappe.db.set_value("HS Access Token", row.name, {"revoked": 1, "revoked_on": now_datetime()})
		frappe.cache.delete_value(f"hs_token:{row.token_hash}")
	return len(rows)
