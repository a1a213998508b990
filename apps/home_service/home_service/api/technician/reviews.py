"""Reviews customers wrote about me, appealing one of them, and appeals of other decisions.

Reviews live in HS Review (Quality module). Until that DocType is installed, listing returns an empty
page and appealing a review answers 404. Other decisions (a penalty, a rejected qualification) are
appealed with an HS Appeal, which the operations team resolves in Desk.
"""

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.functions import Count

from home_service.api.registry import endpoint, page_args, paged
from home_service.api.technician.scope import (
	ROLE,
	ConflictError,
	current_technician,
	not_found,
	own_row,
)
from home_service.utils.text import clean_text
from home_service.workforce.penalties import DRAFT, PENALTY

TAG = "technician/reviews"
REVIEW = "HS Review"
NO_APPEAL = (None, "", "None")
REVIEW_FIELDS = ("booking", "rating", "content", "status", "appeal_status", "appeal_reason")
# what an HS Appeal may refer to, and how the reference is checked to be the caller's
APPEALABLE = {
	"HS Booking": "technician",
	"HS Qualification": "technician",
	PENALTY: "technician",
}
MAX_OPEN_APPEALS = 5


def reviews_installed() -> bool:
	return bool(frappe.db.exists("DocType", REVIEW))


@endpoint(roles=ROLE, tag=TAG)
def list_reviews(page: int = 1, page_size: int = 20) -> dict:
	"""Reviews about me, newest first (the customer is not named)."""
	technician = current_technician(approved=False)
	start, length = page_args(page, page_size)
	if not reviews_installed():
		return paged([], 0, start, length)
	review = frappe.qb.DocType(REVIEW)
	meta = frappe.get_meta(REVIEW)
	fields = [review[f] for f in REVIEW_FIELDS if meta.has_field(f)]
	rows = (
		frappe.qb.from_(review)
		.select(review.name, review.creation, *fields)
		.where(review.technician == technician.name)
		.orderby(review.creation, order=Order.desc)
		.limit(length)
		.offset(start)
	).run(as_dict=True)
	total = (
		frappe.qb.from_(review).select(Count(review.name)).where(review.technician == technician.name)
	).run()[0][0]
	return paged([review_out(row) for row in rows], total, start, length)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def appeal_review(review: str, reason: str) -> dict:
	"""Ask the operations team to look at a review about me again (once per review)."""
	technician = current_technician(approved=False)
	reason = clean_text(reason, "Reason", 500, required=True, multiline=True)
	if not reviews_installed() or not frappe.get_meta(REVIEW).has_field("appeal_status") or not review:
		not_found(_("Review"))
	if not frappe.db.exists(REVIEW, {"name": review, "technician": technician.name}):
		not_found(_("Review"))
	doc = frappe.get_doc(REVIEW, review, for_update=True)
	if doc.technician != technician.name:
		not_found(_("Review"))
	if doc.get("appeal_status") not in NO_APPEAL:
		frappe.throw(_("You have already appealed this review."), ConflictError)
	doc.appeal_reason = reason
	doc.appeal_status = "Pending"
	doc.flags.ignore_permissions = True
	doc.save()
	return {"review": doc.name, "appeal_status": doc.appeal_status}


def review_out(row) -> dict:
	return {
		"review": row.name,
		"booking": row.get("booking"),
		"rating": row.get("rating"),
		"content": row.get("content"),
		"status": row.get("status"),
		"appeal_status": None if row.get("appeal_status") in NO_APPEAL else row.appeal_status,
		"appeal_reason": row.get("appeal_reason"),
		"created_on": str(row.creation),
	}


# --- appeals of other decisions ---------------------------------------------------------------------
@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def create_appeal(
	subject: str,
	reason: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> dict:
	"""Appeal a decision about me: a penalty, a rejected qualification, a booking…

	`reference_doctype` is HS Technician Penalty, HS Qualification or HS Booking (optional); the
	record must be mine. One open appeal per record. An appeal upheld about a penalty waives it.
	"""
	technician = current_technician(approved=False)
	subject = clean_text(subject, "Subject", 140, required=True)
	reason = clean_text(reason, "Reason", 1000, required=True, multiline=True)
	if reference_doctype or reference_name:
		if reference_doctype not in APPEALABLE:
			frappe.throw(_("Only these can be appealed: {0}.").format(", ".join(APPEALABLE)))
		row = own_row(reference_doctype, reference_name, technician.name, _(reference_doctype), ["*"])
		if reference_doctype == PENALTY and row.status == DRAFT:
			not_found(_(reference_doctype))  # a draft is not yet a decision about me
		if frappe.db.exists(
			"HS Appeal",
			{
				"technician": technician.name,
				"reference_doctype": reference_doctype,
				"reference_name": reference_name,
				"status": "Pending",
			},
		):
			frappe.throw(_("You already have an open appeal about this."), ConflictError)
	if frappe.db.count("HS Appeal", {"technician": technician.name, "status": "Pending"}) >= MAX_OPEN_APPEALS:
		frappe.throw(
			_("You have {0} open appeals; wait for them to be answered.").format(MAX_OPEN_APPEALS),
			ConflictError,
		)
	doc = frappe.get_doc(
		{
			"doctype": "HS Appeal",
			"technician": technician.name,
			"subject": subject,
			"reason": reason,
			"reference_doctype": reference_doctype or None,
			"reference_name": reference_name or None,
		}
	).insert(ignore_permissions=True)
	return appeal_out(doc)


@endpoint(roles=ROLE, tag=TAG)
def list_appeals(page: int = 1, page_size: int = 20) -> dict:
	"""My appeals, newest first."""
	technician = current_technician(approved=False)
	start, length = page_args(page, page_size)
	filters = {"technician": technician.name}
	rows = frappe.get_list(
		"HS Appeal",
		filters=filters,
		fields=[
			"name",
			"subject",
			"reason",
			"status",
			"reference_doctype",
			"reference_name",
			"resolution",
			"creation",
		],
		order_by="creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	return paged([appeal_out(row) for row in rows], frappe.db.count("HS Appeal", filters), start, length)


def appeal_out(row) -> dict:
	return {
		"appeal": row.name,
		"subject": row.subject,
		"reason": row.reason,
		"status": row.status,
		"reference_doctype": row.reference_doctype,
		"reference_name": row.reference_name,
		"resolution": row.resolution,
		"created_on": str(row.creation),
	}
