"""What a qualification review and a certificate's expiry do to the technician.

Review (HS Qualification on_update, whatever changed the state: a Workflow button, a script):
- Under Review: a pending application is shown as under review;
- Approved: once the ID card is approved and nothing is left to review, a pending application is
  approved, which makes the technician dispatchable (eligibility reads review_status live, and the
  certificate expiry in the HS Technician Capability read model was refreshed by the same save);
- Rejected: the technician is told why; a rejected ID card rejects a pending application.

Expiry (daily): dispatch already ignores a technician whose approved certificate expired (the read
model keeps the earliest expiry, see capability.py). The job makes it visible: the qualification
becomes Expired, the technician's timeline says so, and technician and operations are told. Before
that, reminders go out `certificate_reminder_days` (HS Quality Settings) ahead, once per certificate.
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

OPS = "HS Operations Manager"
PENDING = ("Pending", "Under Review")


def on_review(qualification) -> None:
	technician = frappe.get_doc("HS Technician", qualification.technician)
	state = qualification.review_state
	status = technician.review_status
	if state == "Under Review" and status == "Pending":
		_set_review_status(technician, "Under Review")
	elif state == "Approved" and status in PENDING and _application_complete(technician.name):
		_set_review_status(technician, "Approved")
	elif state == "Rejected" and qualification.qualification_type == "ID Card" and status in PENDING:
		_set_review_status(technician, "Rejected")
	if state in ("Approved", "Rejected"):
		_tell_technician(qualification, technician.name)


def _application_complete(technician: str) -> bool:
	rows = frappe.get_all(
		"HS Qualification",
		filters={"technician": technician},
		fields=["qualification_type", "review_state"],
	)
	id_card_ok = any(r.qualification_type == "ID Card" and r.review_state == "Approved" for r in rows)
	return id_card_ok and not any(r.review_state in ("Submitted", "Under Review") for r in rows)


def _set_review_status(technician, status: str) -> None:
	technician.review_status = status
	if status == "Approved" and not technician.joined_on:
		technician.joined_on = today()
	technician.save(ignore_permissions=True)


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

	from home_service.quality.inbox import notify

	user = frappe.db.get_value("HS Technician", technician, "user")
	recipient = technician_recipient(technician)
	title, body = texts(recipient.lang)
	notify(user, title, body)


# --- expiry ---------------------------------------------------------------------------------
def expire_and_remind_certificates() -> None:
	expire_certificates()
	remind_expiring()


def expire_certificates(on=None) -> list[str]:
	"""Mark approved qualifications whose expiry date has passed as Expired (idempotent)."""
	on = getdate(on or today())
	names = frappe.get_all(
		"HS Qualification",
		filters={"review_state": "Approved", "expiry_date": ("<", on)},
		pluck="name",
		order_by="expiry_date asc",
	)
	expired = []
	for name in names:
		doc = frappe.get_doc("HS Qualification", name, for_update=True)
		if doc.review_state != "Approved" or not doc.expiry_date or getdate(doc.expiry_date) >= on:
			continue  # renewed or reviewed again since the list was read
		doc.review_state = "Expired"
		doc.expired_on = on
		doc.flags.hs_system_review = True
		doc.save(ignore_permissions=True)
		frappe.get_doc("HS Technician", doc.technician).add_comment(
			"Info",
			_(
				"{0} {1} expired on {2}: no new jobs are offered until a renewed certificate is approved."
			).format(
				_(doc.qualification_type), doc.name, frappe.format(doc.expiry_date, {"fieldtype": "Date"})
			),
		)
		_announce(doc, Event.CERTIFICATE_EXPIRED)
		expired.append(doc.name)
	return expired


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
