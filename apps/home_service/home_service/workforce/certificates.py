"""What a qualification review and a certificate's expiry do to the technician.

Review (HS Qualification on_update, whatever changed the state: a Workflow button, a script):
- Under Review: a pending application is shown as under review;
- Approved: once the ID card is approved and nothing is left to review, a pending application is
  approved, which makes the technician dispatchable (eligibility reads review_status live, and the
  certificate expiry in the HS Technician Capability read model was refreshed by the same save);
- Rejected: a rejected ID card rejects a pending application.

Expiry (daily): dispatch already ignores a technician whose approved certificate expired (the read
model keeps the earliest expiry, see capability.py). The job makes it visible: the qualification
becomes Expired and the technician's timeline says so.

Telling people (the technician of a review, technician and operations of an expiry, reminders ahead
of one) is notifications/certificates.py's: a `doc_events` hook on HS Qualification and a daily job,
so this master layer never imports the notification layer above it.
"""

import frappe
from frappe import _
from frappe.utils import getdate, today

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


# --- expiry ---------------------------------------------------------------------------------
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
		expired.append(doc.name)
	return expired
