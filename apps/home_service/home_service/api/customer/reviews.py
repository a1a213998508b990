"""Rating a completed booking: once per booking, 1–5 stars, plain text and a few photos."""

from typing import Annotated

import frappe
from frappe import _

from home_service.api.arguments import Range
from home_service.api.customer.scope import ROLE, ConflictError, current_customer, own_booking
from home_service.api.customer.uploads import attach_photos, own_photos
from home_service.api.registry import endpoint, page_args, paged
from home_service.booking.lifecycle import Status
from home_service.quality import booking_checks
from home_service.utils.text import clean_file_urls, clean_text

TAG = "customer/reviews"
MAX_CONTENT = 500


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def submit_review(
	booking: str,
	rating: Annotated[int, Range(1, 5)],
	content: str | None = None,
	photos: list[str] | None = None,
) -> dict:
	"""Rate my completed booking (once), 1 to 5 stars. The technician's rating changes at once.

	`photos`: up to 9 file_urls from `customer.uploads.upload_photo` for this booking.
	"""
	content = clean_text(content, "Review", MAX_CONTENT, multiline=True)
	clean_file_urls(photos)  # the list's shape (422) before any lookup
	doc = own_booking(booking, current_customer(), for_update=True)  # the lock serialises double taps
	if doc.status != Status.COMPLETED:
		frappe.throw(_("Only a completed booking can be reviewed."), ConflictError)
	if booking_checks.has_review(doc.name):
		frappe.throw(_("This booking has already been reviewed."), ConflictError)
	photos = own_photos(photos, doc.name)
	review = frappe.get_doc(
		{
			"doctype": "HS Review",
			"booking": doc.name,
			"rating": rating,
			"content": content,
			"photos": "\n".join(photos) or None,
		}
	).insert(ignore_permissions=True)
	attach_photos(photos, "HS Review", review.name)
	return review_out(review)


@endpoint(roles=ROLE, tag=TAG)
def list_reviews(page: int = 1, page_size: int = 20) -> dict:
	"""Reviews I wrote, newest first."""
	filters = {"customer": current_customer()}
	start, length = page_args(page, page_size)
	rows = frappe.get_list(
		"HS Review",
		filters=filters,
		fields=["name", "booking", "rating", "content", "photos", "status", "creation"],
		order_by="creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	return paged([review_out(row) for row in rows], frappe.db.count("HS Review", filters), start, length)


def review_out(row) -> dict:
	return {
		"review": row.name,
		"booking": row.booking,
		"rating": row.rating,
		"content": row.content or None,
		"photos": (row.photos or "").split(),
		"status": row.status,
		"created_on": str(row.creation),
	}
