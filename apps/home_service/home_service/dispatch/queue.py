"""The dispatcher queue: Frappe's Assignment Rule hands queued bookings to dispatchers as ToDos."""

import frappe
from frappe import _

from home_service.utils.users import users_with_role

QUEUE_RULE = "HS Dispatcher Queue"
ALERT_EVENT = "hs_dispatch_alert"  # shown as an alert on every Desk page (public/js/home_service.js)


def dispatcher_users() -> list[str]:
	return users_with_role("HS Dispatcher")


def ensure_queue_rule() -> None:
	"""Ship the rule once; afterwards it belongs to the administrator (users, rule type, conditions).

	Without dispatchers the rule stays disabled: Frappe's load balancing cannot pick from nobody.
	"""
	users = dispatcher_users()
	if frappe.db.exists("Assignment Rule", QUEUE_RULE):
		rule = frappe.get_doc("Assignment Rule", QUEUE_RULE)
		if rule.users or not users:
			return
	else:
		rule = frappe.new_doc("Assignment Rule")
		rule.update(
			{
				"name": QUEUE_RULE,
				"document_type": "HS Booking",
				"description": _(
					"Dispatch booking {{ name }} by hand: {{ customer_name }}, {{ window_start }}"
				),
				"priority": 10,
				"rule": "Load Balancing",
				"assign_condition": 'needs_manual_dispatch == 1 and status == "Pending Dispatch"',
				"unassign_condition": 'status not in ("Pending Dispatch", "Offered")',
				"close_condition": 'status in ("Assigned", "On The Way", "Arrived", "In Service", "Awaiting Confirmation", "Completed")',
			}
		)
		for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
			rule.append("assignment_days", {"day": day})
	for user in users:
		rule.append("users", {"user": user})
	rule.disabled = 0 if users else 1
	rule.flags.ignore_permissions = True
	rule.save()


def alert_dispatchers(doc, reason: str) -> None:
	message = _("Booking {0} needs a dispatcher: {1}").format(doc.name, reason)
	for user in dispatcher_users():
		# after the commit: a dispatcher who opens the booking at once must see it queued
		frappe.publish_realtime(
			ALERT_EVENT, {"booking": doc.name, "message": message}, user=user, after_commit=True
		)
	if not frappe.db.exists(
		"ToDo", {"reference_type": "HS Booking", "reference_name": doc.name, "status": "Open"}
	):
		# no dispatcher on the rule: every dispatcher gets a notification instead
		for user in dispatcher_users():
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"subject": message,
					"for_user": user,
					"type": "Alert",
					"document_type": "HS Booking",
					"document_name": doc.name,
				}
			).insert(ignore_permissions=True)
