"""Becoming a technician: apply with qualifications, upload certificate files, follow the review.

A logged-in user without a technician record applies; the application creates an HS Technician
(review_status Pending, which grants the HS Technician role) and one HS Qualification per document
(review_state Submitted). Certificate files are uploaded afterwards, one per qualification, and are
stored as private Files attached to it. The operations team reviews both in Desk.
"""

import re

import frappe
from frappe import _
from frappe.utils import getdate, today

from home_service.api.registry import endpoint
from home_service.api.technician.scope import (
	ROLE,
	ConflictError,
	NotApprovedError,
	current_technician,
	own_row,
)
from home_service.utils.text import clean_text
from home_service.utils.uploads import IMAGES_AND_PDF, owned_upload, save_private_file, uploaded_content

TAG = "technician/onboarding"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
ID_CARD = re.compile(r"^\d{17}[\dX]$")
CERTIFICATE_NO = re.compile(r"^[0-9A-Za-z\-]{4,40}$")
QUALIFICATION_TYPES = ("ID Card", "Trade Certificate", "Health Certificate", "Other")
QUALIFICATION_FIELDS = ("qualification_type", "certificate_no", "issue_date", "expiry_date", "skill")
OPEN_REVIEW = ("Pending", "Under Review")
MAX_SKILLS, MAX_AREAS, MAX_QUALIFICATIONS = 20, 10, 10


@endpoint(methods=("POST",), tag=TAG)
def apply(
	technician_name: str,
	mobile_no: str,
	skills: list[str],
	service_areas: list[str],
	qualifications: list[dict],
	gender: str | None = None,
	bio: str | None = None,
) -> dict:
	"""Apply to work as a technician.

	`qualifications` is a list of {qualification_type, certificate_no, issue_date, expiry_date, skill};
	exactly one must be the ID Card. Upload each certificate file afterwards with `upload_certificate`.
	Refused while an application is pending; after a rejection the same record is resubmitted.
	"""
	values = {
		"technician_name": clean_text(technician_name, "Name", 40, required=True),
		"mobile_no": valid_mobile(mobile_no),
		"gender": valid_choice(gender, ("Male", "Female"), _("Gender")),
		"bio": clean_text(bio, "Introduction", 500, multiline=True),
	}
	skills = valid_names("HS Skill", skills, _("skills"), MAX_SKILLS)
	areas = valid_names("HS Service Area", service_areas, _("service areas"), MAX_AREAS, {"is_active": 1})
	rows = valid_qualifications(qualifications, skills)

	existing = frappe.db.get_value(
		"HS Technician", {"user": frappe.session.user}, ["name", "review_status"], as_dict=True
	)
	if existing and existing.review_status != "Rejected":
		if existing.review_status in OPEN_REVIEW:
			frappe.throw(_("Your application is already being reviewed."), ConflictError)
		frappe.throw(_("You already have a technician account."), ConflictError)
	if frappe.db.exists(
		"HS Technician", {"mobile_no": values["mobile_no"], "user": ("!=", frappe.session.user)}
	):
		frappe.throw(_("This mobile number is already registered."), ConflictError)

	doc = (
		frappe.get_doc("HS Technician", existing.name, for_update=True)
		if existing
		else frappe.new_doc("HS Technician")
	)
	doc.update(values)
	doc.user = frappe.session.user
	doc.review_status = "Pending"
	doc.set("skills", [{"skill": skill} for skill in skills])
	doc.set("service_areas", [{"service_area": area} for area in areas])
	try:
		doc.save(ignore_permissions=True)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		frappe.throw(_("Your application is already being reviewed."), ConflictError)
	created = [insert_qualification(doc.name, row) for row in rows]
	return {
		"technician": doc.name,
		"review_status": doc.review_status,
		"qualifications": [qualification_out(q) for q in created],
	}


@endpoint(tag=TAG)
def apply_choices() -> dict:
	"""What an application may name: the skills and the active service areas, and the document types."""
	return {
		"skills": frappe.get_all(
			"HS Skill", fields=["name as skill", "category"], order_by="category asc, name asc", limit=500
		),
		"service_areas": frappe.get_all(
			"HS Service Area",
			filters={"is_active": 1},
			fields=["name as service_area", "city", "district"],
			order_by="city asc, name asc",
			limit=500,
		),
		"qualification_types": list(QUALIFICATION_TYPES),
	}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def add_qualification(
	qualification_type: str,
	certificate_no: str,
	issue_date: str | None = None,
	expiry_date: str | None = None,
	skill: str | None = None,
) -> dict:
	"""Submit one more document (for example a new trade certificate) for review."""
	technician = current_technician(approved=False)
	if technician.review_status == "Suspended":
		frappe.throw(_("Your technician account is suspended."), NotApprovedError)
	own_skills = set(
		frappe.get_all("HS Technician Skill", filters={"parent": technician.name}, pluck="skill")
	)
	row = valid_qualification(
		{
			"qualification_type": qualification_type,
			"certificate_no": certificate_no,
			"issue_date": issue_date,
			"expiry_date": expiry_date,
			"skill": skill,
		},
		own_skills,
	)
	if frappe.db.exists(
		"HS Qualification",
		{
			"technician": technician.name,
			"qualification_type": row["qualification_type"],
			"certificate_no": row["certificate_no"],
			"review_state": ("!=", "Rejected"),
		},
	):
		frappe.throw(_("This document was already submitted."), ConflictError)
	return qualification_out(insert_qualification(technician.name, row))


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def upload_certificate(qualification: str, file_url: str | None = None) -> dict:
	"""Upload the scan or photo of one submitted qualification.

	Either send the file itself (multipart field `file`), or upload it first with Frappe's
	/api/method/upload_file (is_private=1) and send its `file_url`. JPEG, PNG, WebP or PDF up to 5 MB,
	checked by content and kept private; uploading again replaces it until the qualification is reviewed.
	"""
	technician = current_technician(approved=False)
	row = own_row(
		"HS Qualification", qualification, technician.name, _("Qualification"), ["name", "review_state"]
	)
	if row.review_state != "Submitted":
		frappe.throw(_("This qualification has already been reviewed."), ConflictError)
	if file_url:
		file = owned_upload(file_url, IMAGES_AND_PDF, private=True)
	else:
		content = uploaded_content()
	doc = frappe.get_doc("HS Qualification", row.name, for_update=True)
	previous = doc.certificate_file
	if file_url:
		file.update(
			{
				"attached_to_doctype": "HS Qualification",
				"attached_to_name": doc.name,
				"attached_to_field": "certificate_file",
			}
		)
		file.save(ignore_permissions=True)
	else:
		file = save_private_file(
			content,
			IMAGES_AND_PDF,
			"HS Qualification",
			doc.name,
			prefix=doc.name,
			attached_to_field="certificate_file",
		)
	doc.certificate_file = file.file_url
	doc.save(ignore_permissions=True)
	if previous and previous != file.file_url:
		remove_files("HS Qualification", doc.name, previous)
	return {
		"qualification": doc.name,
		"certificate_file": doc.certificate_file,
		"review_state": doc.review_state,
	}


@endpoint(roles=ROLE, tag=TAG)
def application_status() -> dict:
	"""The review status of my application and of each document."""
	technician = current_technician(approved=False)
	rows = frappe.get_list(
		"HS Qualification",
		filters={"technician": technician.name},
		fields=[
			"name",
			"qualification_type",
			"certificate_no",
			"skill",
			"issue_date",
			"expiry_date",
			"certificate_file",
			"review_state",
			"rejection_reason",
		],
		order_by="creation desc",
		limit=100,
	)
	return {
		"technician": technician.name,
		"technician_name": technician.technician_name,
		"review_status": technician.review_status,
		"qualifications": [qualification_out(row) for row in rows],
	}


# --- validation -------------------------------------------------------------------------------
def valid_mobile(mobile_no: str) -> str:
	mobile_no = (mobile_no or "").strip().replace(" ", "")
	if mobile_no.startswith("+86"):
		mobile_no = mobile_no[3:]
	if not MOBILE.match(mobile_no):
		frappe.throw(_("Enter a mainland China mobile number (11 digits)."))
	return mobile_no


def valid_choice(value: str | None, choices: tuple[str, ...], label: str) -> str | None:
	if value in (None, ""):
		return None
	if value not in choices:
		frappe.throw(_("{0} must be one of {1}.").format(label, ", ".join(choices)))
	return value


def valid_names(
	doctype: str, names: list[str], label: str, maximum: int, filters: dict | None = None
) -> list[str]:
	names = [str(n).strip() for n in names or [] if str(n).strip()]
	if not names or len(names) > maximum:
		frappe.throw(_("Choose between 1 and {0} {1}.").format(maximum, label))
	if len(set(names)) != len(names):
		frappe.throw(_("Each of the {0} may be chosen once.").format(label))
	found = set(frappe.get_all(doctype, filters={"name": ("in", names), **(filters or {})}, pluck="name"))
	unknown = [n for n in names if n not in found]
	if unknown:
		frappe.throw(_("Unknown {0}: {1}").format(label, ", ".join(unknown[:5])), frappe.LinkValidationError)
	return names


def valid_qualifications(rows: list[dict], skills: list[str]) -> list[dict]:
	if not rows or len(rows) > MAX_QUALIFICATIONS:
		frappe.throw(_("Submit between 1 and {0} documents.").format(MAX_QUALIFICATIONS))
	cleaned = [valid_qualification(row, set(skills)) for row in rows]
	if sum(1 for row in cleaned if row["qualification_type"] == "ID Card") != 1:
		frappe.throw(_("Submit exactly one ID card."))
	keys = {(row["qualification_type"], row["certificate_no"]) for row in cleaned}
	if len(keys) != len(cleaned):
		frappe.throw(_("A document is listed twice."))
	return cleaned


def valid_qualification(row: dict, skills: set[str]) -> dict:
	if not isinstance(row, dict):
		frappe.throw(_("Each document must be an object."))
	row = {key: row.get(key) for key in QUALIFICATION_FIELDS}  # anything else is ignored
	kind = valid_choice(row["qualification_type"], QUALIFICATION_TYPES, _("Document type"))
	if not kind:
		frappe.throw(_("Document type is required."))
	number = str(row["certificate_no"] or "").strip().upper()
	pattern = ID_CARD if kind == "ID Card" else CERTIFICATE_NO
	if not pattern.match(number):
		frappe.throw(_("The {0} number is not valid.").format(_(kind)))
	issue, expiry = (
		valid_date(row["issue_date"], _("Issue date")),
		valid_date(row["expiry_date"], _("Expiry date")),
	)
	if issue and issue > getdate(today()):
		frappe.throw(_("The issue date cannot be in the future."))
	if expiry and expiry <= getdate(today()):
		frappe.throw(_("The {0} has expired.").format(_(kind)))
	if issue and expiry and expiry <= issue:
		frappe.throw(_("The expiry date must be after the issue date."))
	skill = row["skill"] or None
	if skill and skill not in skills:
		frappe.throw(_("A certificate can only be for one of your skills."))
	return {
		"qualification_type": kind,
		"certificate_no": number,
		"issue_date": issue,
		"expiry_date": expiry,
		"skill": skill,
	}


def valid_date(value, label: str):
	if value in (None, ""):
		return None
	try:
		return getdate(str(value))
	except Exception:
		frappe.throw(_("{0} is not a valid date (YYYY-MM-DD).").format(label))


# --- records ----------------------------------------------------------------------------------
def insert_qualification(technician: str, row: dict):
	return frappe.get_doc({"doctype": "HS Qualification", "technician": technician, **row}).insert(
		ignore_permissions=True
	)


def qualification_out(row) -> dict:
	number = row.certificate_no or ""
	return {
		"name": row.name,
		"qualification_type": row.qualification_type,
		"certificate_no": ("*" * max(len(number) - 4, 0)) + number[-4:],
		"skill": row.skill,
		"issue_date": str(row.issue_date) if row.issue_date else None,
		"expiry_date": str(row.expiry_date) if row.expiry_date else None,
		"has_file": bool(row.certificate_file),
		"review_state": row.review_state,
		"rejection_reason": row.get("rejection_reason") if row.review_state == "Rejected" else None,
	}


def remove_files(doctype: str, name: str, file_url: str) -> None:
	for file in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"file_url": file_url,
			"owner": frappe.session.user,
		},
		pluck="name",
	):
		frappe.delete_doc("File", file, ignore_permissions=True)
