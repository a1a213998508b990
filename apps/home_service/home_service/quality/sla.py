"""Complaint service levels in working hours, and escalation when one is breached.

A new complaint gets a response due time and a resolution due time: the SLA hours of HS Quality
Settings counted in working time only (its working calendar, see working_calendar.py). The complaint
is responded to when staff first move it out of Open. Every five minutes `escalate_breached` takes
open complaints past either due time that are not escalated yet, marks them escalated, assigns them
(ToDo) to the escalation manager and notifies that manager (Desk bell, and the Frappe Notification
"HS SLA Breach" e-mails them). Idempotent: an escalated complaint is never escalated again.
"""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.utils import get_datetime, now_datetime

from home_service.notifications import Event, emit, settings, staff_recipient
from home_service.quality.working_calendar import from_settings

COMPLAINT = "HS Complaint"
OPS = "HS Operations Manager"
OPEN_STATUSES = ("Open", "In Progress")


def set_due_times(doc) -> None:
	quality = settings()
	calendar = from_settings(quality)
	opened = get_datetime(doc.opened_on)
	doc.response_due = calendar.add_hours(opened, quality.response_sla_hours or 0)
	doc.resolution_due = calendar.add_hours(opened, quality.resolution_sla_hours or 0)


def breach_of(row, now) -> str | None:
	if not row.first_response_on and row.response_due and get_datetime(row.response_due) < now:
		return "Response"
	if row.resolution_due and get_datetime(row.resolution_due) < now:
		return "Resolution"
	return None


def escalation_manager() -> str | None:
	configured = settings().escalate_to
	if configured and frappe.db.get_value("User", configured, "enabled"):
		return configured
	managers = frappe.get_all(
		"Has Role",
		filters={"role": OPS, "parenttype": "User", "parent": ("not in", ("Administrator", "Guest"))},
		pluck="parent",
		distinct=True,
	)
	enabled = frappe.get_all(
		"User",
		filters={"name": ("in", managers or [""]), "enabled": 1, "user_type": "System User"},
		pluck="name",
		order_by="name asc",
		limit=1,
	)
	return enabled[0] if enabled else None


def escalate_breached(limit: int = 200) -> list[str]:
	"""Scheduled: escalate every open, not yet escalated complaint past a due time."""
	now = now_datetime()
	rows = frappe.db.sql(
		"""select name from `tabHS Complaint`
		where status in %(open)s and ifnull(escalated, 0) = 0
		and ((first_response_on is null and response_due < %(now)s) or resolution_due < %(now)s)
		order by opened_on asc limit %(limit)s""",
		{"open": OPEN_STATUSES, "now": now, "limit": limit},
		pluck=True,
	)
	escalated = []
	for name in rows:
		if escalate(name, now):
			escalated.append(name)
			if not frappe.flags.in_test:
				frappe.db.commit()  # nosemgrep: one complaint at a time, each escalation kept
	return escalated


def escalate(name: str, now=None) -> bool:
	now = now or now_datetime()
	doc = frappe.get_doc(COMPLAINT, name, for_update=True)
	breach = breach_of(doc, now) if doc.status in OPEN_STATUSES and not doc.escalated else None
	if not breach:
		return False
	manager = escalation_manager()
	doc.flags.hs_trusted = True
	doc.escalated, doc.escalated_on, doc.escalated_to, doc.breached = 1, now, manager, breach
	doc.save(ignore_permissions=True)
	reason = (
		_("Response SLA breached: due {0}.")
		if breach == "Response"
		else _("Resolution SLA breached: due {0}.")
	).format(frappe.format(doc.response_due if breach == "Response" else doc.resolution_due, "Datetime"))
	doc.add_comment("Info", reason)
	if not manager:
		frappe.log_error(
			title="HS complaint escalation", message=f"{name}: no HS Operations Manager to assign"
		)
		return True
	if not frappe.db.exists(
		"ToDo",
		{"reference_type": COMPLAINT, "reference_name": name, "allocated_to": manager, "status": "Open"},
	):
		assign_to.add(
			{
				"assign_to": [manager],
				"doctype": COMPLAINT,
				"name": name,
				"description": reason,
				"priority": "High",
			},
			ignore_permissions=True,
		)

	def texts(lang: str):
		return _("Complaint SLA breached", lang=lang), _(
			"Complaint {0} about booking {1} is escalated to you. {2}", lang=lang
		).format(doc.name, doc.booking, reason)

	emit(
		Event.SLA_BREACH,
		(COMPLAINT, name),
		[staff_recipient(manager)],
		texts,
		params={"complaint": name, "booking": doc.booking, "breach": breach},
		dedupe=f"sla:{name}",
	)
	return True
