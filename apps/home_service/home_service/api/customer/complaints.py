"""After-sales complaints about one of my bookings (one open complaint per booking)."""

import frappe
from frappe import _

from home_service.api.customer.scope import ROLE, ConflictError, current_customer, own_booking, own_name
from home_service.api.customer.uploads import attach_photos, own_photos
from home_service.api.registry import endpoint, page_args, paged
from home_service.booking.lifecycle import Status
from home_service.quality import booking_checks
from home_service.quality.doctype.hs_complaint.hs_complaint import MAX_DESCRIPTION
from home_service.utils.text import clean_choice, clean_file_urls, clean_text

TAG = "customer/complaints"
CATEGORIES = (
	"Service Quality",
	"Technician Conduct",
	"Late or No Show",
	"Price or Charges",
	"Property Damage",
	"Other",
)
FIELDS = [
	"name",
	"booking",
	"category",
	"description",
	"photos",
	"status",
	"resolution",
	"opened_on",
	"resolved_on",
]


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def open_complaint(booking: str, category: str, description: str, photos: list[str] | None = None) -> dict:
	"""Complain about my booking; customer service answers in the complaint's resolution.

	`photos`: up to 9 file_urls from `customer.uploads.upload_photo` for this booking.
	"""
	category = clean_choice(category, "Category", CATEGORIES) or "Other"
	description = clean_text(description, "Description", MAX_DESCRIPTION, True, True)
	clean_file_urls(photos)  # the list's shape (422) before any lookup
	doc = own_booking(booking, current_customer(), for_update=True)  # one open complaint per booking
	if doc.status == Status.PENDING_PAYMENT:
		frappe.throw(_("A booking that was never paid cannot get a complaint."), ConflictError)
	if booking_checks.has_open_complaint(doc.name):
		frappe.throw(_("You already have an open complaint about this booking."), ConflictError)
	photos = own_photos(photos, doc.name)
	complaint = frappe.get_doc(
		{
			"doctype": "HS Complaint",
			"booking": doc.name,
			"category": category,
			"description": description,
			"photos": "\n".join(photos) or None,
		}
	).insert(ignore_permissions=True)
	attach_photos(photos, "HS Complaint", complaint.name)
	return complaint_out(complaint)


@endpoint(roles=ROLE, tag=TAG)
def list_complaints(page: int = 1, page_size: int = 20) -> dict:
	"""My complaints, newest first, with their status and resolution."""
	filters = {"customer": current_customer()}
	start, length = page_args(page, page_size)
	rows = frappe.get_list(
		"HS Complaint",
		filters=filters,
		fields=FIELDS,
		order_by="creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	return paged(
		[complaint_out(row) for row in rows], frappe.db.count("HS Complaint", filters), start, length
	)


@endpoint(roles=ROLE, tag=TAG)
def get_complaint(complaint: str) -> dict:
	"""One of my complaints."""
	name = own_name("HS Complaint", complaint, current_customer(), "Complaint")
	return complaint_out(frappe.db.get_value("HS Complaint", name, FIELDS, as_dict=True))


def complaint_out(row) -> dict:
	return {
		"complaint": row.name,
		"booking": row.booking,
		"category": row.category,
		"description": row.description,
		"photos": (row.photos or "").split(),
		"status": row.status,
		"resolution": row.resolution or None,
		"opened_on": str(row.opened_on) if row.opened_on else None,
		"resolved_on": str(row.resolved_on) if row.resolved_on else None,
	}
