"""The User controller of this site (hooks.py `override_doctype_class`): Frappe's, without two writes
that made concurrent first logins deadlock.

Every User save runs Frappe's `ask_pass_update`, which recomputes one site-wide default
(`email_user_password`, the users whose e-mail inbox awaits a password) and deletes and re-inserts its
tabDefaultValue row after a locking read, even when the value did not change; and a user with a time
zone gets a per-user default written the same way in `on_update`. Under REPEATABLE READ those locking
reads take gap locks on tabDefaultValue's (parent, defkey) index: two transactions that each hold one
and then insert wait for each other, and MariaDB kills one (1213). Customers and technicians become
Users at their first login, so a burst of new users after a promotion turned into HTTP 500s (issue 14).

HSUser keeps all of Frappe's checks and:
- writes `email_user_password` only when its value changes (it never does for a mini-program user,
  who has no e-mail inbox; for Desk users the stored value is the same as Frappe's);
- gives mini-program users no time zone of their own: they follow the system's, as a User without one
  does in Frappe, and no per-user default row is written for them.
"""

import types

import frappe
from frappe.core.doctype.user.user import User

from home_service.access.accounts import USER_DOMAIN


def ask_pass_update_when_changed() -> None:
	"""Frappe's `ask_pass_update`, skipping the delete-and-insert when the value is already stored."""
	awaiting = frappe.get_all(
		"User Email", filters={"awaiting_password": 1, "used_oauth": 0}, pluck="parent", distinct=True
	)
	value = ",".join(awaiting)
	if (frappe.db.get_default("email_user_password") or "") != value:
		frappe.db.set_default("email_user_password", value)


def with_globals(function, **replacements):
	"""`function` as it is, except that the given global names resolve to `replacements`: Frappe's own
	code runs unchanged (no copy to fall behind an upgrade) and nothing is patched for other callers."""
	namespace = {**function.__globals__, **replacements}
	clone = types.FunctionType(
		function.__code__, namespace, function.__name__, function.__defaults__, function.__closure__
	)
	clone.__doc__, clone.__qualname__ = function.__doc__, function.__qualname__
	return clone


def is_mini_program_user(name: str | None) -> bool:
	"""A User made by access/accounts.py for a customer or technician of the mini-programs."""
	return bool(name) and name.endswith("@" + USER_DOMAIN)


class HSUser(User):
	validate = with_globals(User.validate, ask_pass_update=ask_pass_update_when_changed)

	def set_time_zone(self):
		if is_mini_program_user(self.name):
			self.time_zone = None  # the system's; see the module notes
			return
		super().set_time_zone()
