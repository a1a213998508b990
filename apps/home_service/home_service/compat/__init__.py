"""Every place this app replaces Frappe's own code, in one list, installed explicitly.

Each entry names what it replaces, why, and the upstream change that retires it. `install()` runs
from hooks.py (`before_request`, `before_job`, `before_tests`) and from this app's bench commands; it
is idempotent and cheap, so every request may call it. An override is installed only on the Frappe
majors it was written against: after an upgrade nothing stale is applied silently; the pinning tests
in compat/test_compat.py say which overrides the new Frappe still needs (a pin that fails means
upstream changed the behaviour the override works around: retire or rewrite that override).

Replacements are named by dotted path, so this package imports no module of the app until it installs.

Frappe behaviour the app works around without replacing a method is pinned in test_compat.py too:
the User controller (access/user.py, hooks.py override_doctype_class) and the client address that
access/client_ip.py sets from before_request.
"""

from dataclasses import dataclass

import frappe


@dataclass(frozen=True)
class Override:
	target: str  # the class whose attribute is replaced ("module.Class")
	attribute: str
	replacement: str  # the function installed in its place ("module.function")
	frappe_majors: tuple[int, ...]  # the Frappe majors whose code the replacement was written for
	retired_by: str  # the upstream fix that makes it unnecessary, or what one would have to change


OVERRIDES = (
	Override(
		"frappe.model.db_query.DatabaseQuery",
		"apply_fieldlevel_read_permissions",
		"home_service.compat.db_query.apply_fieldlevel_read_permissions",
		(15,),
		"frappe/frappe#32192 (checks every field) retires the repeat; the refusal of filters on "
		"unreadable fields stays ours until Frappe checks filters too (no issue upstream yet)",
	),
	Override(
		"home_service.booking.doctype.hs_booking.hs_booking.HSBooking",
		"_set_defaults",
		"home_service.compat.document.set_defaults_of_new_rows",
		(15,),
		"none upstream yet: Document._set_defaults building a child template only for tables with "
		"a new row (the PR that made it run on every save: frappe/frappe#23913)",
	),
	Override(
		"home_service.booking.doctype.hs_booking.hs_booking.HSBooking",
		"save_version",
		"home_service.compat.document.save_version_unless_plain_insert",
		(15,),
		"none upstream yet: Document.save_version returning before frappe.new_doc('Version') on an "
		"insert without flags.updater_reference (Version.for_insert keeps nothing then)",
	),
)


def frappe_major(version: str | None = None) -> int:
	return int((version or frappe.__version__).split(".")[0])


def install() -> list[Override]:
	"""Install the overrides written for this Frappe; returns them. Safe to call on every request."""
	major = frappe_major()
	installed = []
	for override in OVERRIDES:
		if major not in override.frappe_majors:
			continue
		target = frappe.get_attr(override.target)
		replacement = frappe.get_attr(override.replacement)
		if target.__dict__.get(override.attribute) is not replacement:
			if not hasattr(target, override.attribute):  # renamed upstream: nothing to replace
				raise AttributeError(f"{override.target}.{override.attribute} is gone: see {__name__}")
			setattr(target, override.attribute, replacement)
		installed.append(override)
	return installed
