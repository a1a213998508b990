"""Notifications about technicians' certificates (HS Qualification, workforce/certificates.py).

- A review decided (Approved or Rejected, whatever changed the state): the technician is told in the
  inbox (a `doc_events` on_update hook, after the controller has updated the technician).
- A certificate marked Expired (workforce/certificates.py's daily job, or by hand): technician and
  operations are told on every channel.
- Daily, reminders go out `certificate_reminder_days` (HS Quality Settings) ahead of an approved
  certificate's expiry, once per certificate and expiry date.
"""

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, today

from home_service.notifications import (
	Event,
	emit,
	settings,
	staff_with_role,
	technician_recipient,
)
from home_service.notifications.inbox import notify

OPS = "HS Operations Manager"


def on_qualification_update(doc, method=None) -> None:
	"""`doc_events` hook on HS Qualification: a changed review state that people must hear of."""
	if not doc.get_doc_before_save() or not doc.has_value_changed("review_state"):
		return
	if doc.review_state in ("Approved", "Rejected"):
		_tell_technician(doc, doc.technician)
	elif doc.review_state == "Expired":
		_announce(doc, Event.CERTIFICATE_EXPIRED)


def _tell_technician(qualification, technician: str) -> None:
	kind = qualification.qualification_type
	approved = qualification.review_state == "Approved"

	def texts(lang: str):
		if approved:
			return _("Document approved", lang=lang), _("Your {0} has been approved.", lang=lang).format(
				_(kind, lang=lang)
			)
		return _("Document rejected", lang=lang), _("Your {0} was not approved: {1}", lang=lang).format(
			_(kind, lang=lang), qualification.rejection_reason
		)

	user = frappe.db.get_value("HS Technician", technician, "user")
	recipient = technician_recipient(technician)
	title, body = texts(recipient.lang)
	notify(user, title, body)


def remind_expiring(on=None) -> int:
	"""Tell technicians and operations about approved certificates that expire within N days; once
	per certificate and expiry date (a renewed date reminds again)."""
	days = cint(settings().certificate_reminder_days)
	if days <= 0:
		return 0
	on = getdate(on or today())
	rows = frappe.get_all(
		"HS Qualification",
		filters={"review_state": "Approved", "expiry_date": ("between", (on, add_days(on, days)))},
		fields=["name", "technician", "qualification_type", "expiry_date"],
		order_by="expiry_date asc",
	)
	return sum(bool(_announce(row, Event.CERTIFICATE_EXPIRING)) for row in rows)


def _announce(qualification, event: str) -> list[str]:
	technician_name = frappe.db.get_value("HS Technician", qualification.technician, "technician_name")
	expiry = str(qualification.expiry_date)

	def texts(lang: str):
		kind = _(qualification.qualification_type, lang=lang)
		if event == Event.CERTIFICATE_EXPIRED:
			return _("Certificate expired", lang=lang), _(
				"{0} of {1} expired on {2}. No new jobs until a renewed certificate is approved.", lang=lang
			).format(kind, technician_name, expiry)
		return _("Certificate expiring", lang=lang), _(
			"{0} of {1} expires on {2}. Please upload the renewed certificate.", lang=lang
		).format(kind, technician_name, expiry)

	return emit(
		event,
		("HS Qualification", qualification.name),
		[technician_recipient(qualification.technician), *staff_with_role(OPS)],
		texts,
		params={"technician": technician_name, "expiry": expiry, "certificate": qualification.name},
		dedupe=f"{event}:{qualification.name}:{expiry}",
	)
