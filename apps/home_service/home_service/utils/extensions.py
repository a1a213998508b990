"""Extension points: the one way core and add-on apps look up and call each other's hooks.

Two kinds of hook, declared in an app's hooks.py and merged by Frappe across installed apps:

- a registry, `{name: "dotted.path"}` (hs_pricing_models, hs_dispatch_strategies, hs_sms_providers,
  hs_payment_gateways, hs_notification_channels): `names(hook)` lists what is installed and
  `resolve(hook, name)` imports what a name stands for. When two apps register one name, the app
  installed last wins, as with Frappe's own override hooks.
- an event, `["dotted.path", ...]` (hs_on_booking_created, hs_on_booking_paid, …): `emit(hook, *args)`
  calls every handler in the order the apps list them, in the caller's transaction; `first(hook,
  *args)` asks them in turn and returns the first answer that is not None.

A DocType field that names a registry entry is a Data field checked with `validate_choice`, so an
add-on's entry needs no change to core's schema.
"""

from collections.abc import Callable
from typing import Any

import frappe
from frappe import _


class UnknownExtensionError(frappe.ValidationError):
	pass


def _registry(hook: str) -> dict[str, list[str]]:
	return frappe.get_hooks(hook) or {}


def names(hook: str) -> list[str]:
	"""The names registered under a registry hook, in the order the apps list them."""
	return list(_registry(hook))


def path_of(
	hook: str, name: str, *, exc: type[Exception] = UnknownExtensionError, message: str | None = None
) -> str:
	"""The dotted path `name` stands for (the last app's); `exc` with `message` when none does."""
	paths = _registry(hook).get(name)
	if not paths:
		frappe.throw(message or _("{0} is not installed.").format(frappe.bold(name)), exc)
	return paths[-1]


def resolve(hook: str, name: str, **not_installed) -> Any:
	"""What `name` stands for in a registry hook: a class or a function, not called."""
	return frappe.get_attr(path_of(hook, name, **not_installed))


def handlers(hook: str) -> list[Callable]:
	return [frappe.get_attr(path) for path in frappe.get_hooks(hook) or ()]


def emit(hook: str, *args) -> None:
	"""Call every handler of an event hook with `args`, in order, in the caller's transaction."""
	for handler in handlers(hook):
		handler(*args)


def first(hook: str, *args) -> Any:
	"""The first answer that is not None among the handlers of an event hook (None if no one answers)."""
	for handler in handlers(hook):
		answer = handler(*args)
		if answer is not None:
			return answer
	return None


def validate_choice(doc, fieldname: str, hook: str, label: str | None = None) -> None:
	"""A Data field that must name an entry of a registry hook (empty is left to `reqd`)."""
	value = doc.get(fieldname)
	if value and value not in _registry(hook):
		field = label or _(doc.meta.get_label(fieldname))
		frappe.throw(
			_("{0} must be one of: {1}.").format(field, ", ".join(names(hook))),
			UnknownExtensionError,
			title=_("Not installed"),
		)
