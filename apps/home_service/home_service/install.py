"""Install and migrate hooks: idempotent, safe to run on every migrate."""

import frappe

STAFF_ROLES = ("HS Operations Manager", "HS Dispatcher", "HS Customer Service", "HS Finance")
OPERATIONS_PROFILE = "HS Operations"


def after_install():
	# tracebacks in API responses disclose internals: off unless an administrator turns it on
	frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)
	# Frappe gives Time fields of a new document the current time; the day's window grid needs ours
	frappe.db.set_single_value("HS Settings", {"day_start_time": "08:00:00", "day_end_time": "20:00:00"})
	frappe.db.set_single_value(
		"HS Quality Settings", {"work_start_time": "09:00:00", "work_end_time": "18:00:00"}
	)
	after_migrate()


def after_migrate():
	from home_service.access.accounts import ensure_user_throttle
	from home_service.billing.actors import ensure_actors
	from home_service.booking.numbering import ensure_sequence
	from home_service.dispatch.queue import ensure_queue_rule

	ensure_operations_profile()
	ensure_settings_defaults()
	ensure_queue_rule()
	ensure_user_throttle()
	ensure_sequence()
	ensure_actors()


def ensure_operations_profile():
	"""An operations manager does every staff job; one profile gives all staff roles."""
	if frappe.db.exists("Role Profile", OPERATIONS_PROFILE):
		return
	profile = frappe.new_doc("Role Profile")
	profile.role_profile = OPERATIONS_PROFILE
	for role in STAFF_ROLES:
		profile.append("roles", {"role": role})
	profile.insert(ignore_permissions=True)


def ensure_settings_defaults():
	"""Single DocTypes get field defaults only when a value was never saved."""
	for doctype in ("HS Settings", "HS Quality Settings"):
		settings = frappe.get_single(doctype)
		never_saved = not frappe.db.get_singles_dict(doctype)
		changed = False
		for df in settings.meta.fields:
			if df.default and df.fieldtype not in ("Section Break",):
				# a new document gets the current time in every Time field, whatever its default
				if settings.get(df.fieldname) in (None, "") or (never_saved and df.fieldtype == "Time"):
					settings.set(df.fieldname, df.default)
					changed = True
		if changed or never_saved:
			settings.flags.ignore_permissions = True
			settings.save()
