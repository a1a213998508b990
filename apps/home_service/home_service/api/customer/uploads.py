"""Photos a customer adds to a review or a complaint.

`upload_photo` stores one image (multipart field `file`) as a private File owned by the caller and
attached to the caller's own booking; its file_url then goes into `submit_review` or `open_complaint`,
which accept only such uploads for that booking (`own_photos`) and move each File onto the review or
complaint it illustrates. A private File is readable by its owner and by whoever may read the document
it is attached to (staff; not another customer), so another customer's request for it answers 403.

The type comes from the bytes, not from the client's name or Content-Type (utils/uploads.py): JPEG,
PNG or WebP, at most 5 MB (413 larger, 415 another type). Uploads are counted per client address
(site config `hs_customer_upload_rate_limit`, a minute; default 30): a phone adds at most 9 photos
per form, and retakes.
"""

import frappe
from frappe import _
from frappe.utils import cint

from home_service.access.rate_limits import rate_limit
from home_service.api.customer.scope import ROLE, ConflictError, current_customer, own_booking
from home_service.api.registry import endpoint
from home_service.booking.lifecycle import Status
from home_service.utils.text import clean_file_urls
from home_service.utils.uploads import IMAGES, MB, owned_upload, save_private_file, uploaded_content

TAG = "customer/uploads"
RATE_WINDOW = 60
MAX_BYTES = 5 * MB
MAX_PHOTOS = 9


def upload_limit() -> int:
	"""Uploads a minute per client address (site config hs_customer_upload_rate_limit)."""
	return cint(frappe.conf.get("hs_customer_upload_rate_limit")) or 30


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
@rate_limit(limit=upload_limit, seconds=RATE_WINDOW)
def upload_photo(booking: str) -> dict:
	"""Upload one photo for a review or complaint about my booking (multipart field `file`).

	JPEG, PNG or WebP up to 5 MB, stored privately; send the returned file_url in `photos` of
	`submit_review` or `open_complaint` for the same booking.
	"""
	doc = own_booking(booking, current_customer())
	if doc.status == Status.PENDING_PAYMENT:  # neither a review nor a complaint can follow yet
		frappe.throw(_("Photos can be added once the booking is paid."), ConflictError)
	file = save_private_file(
		uploaded_content(max_bytes=MAX_BYTES), IMAGES, "HS Booking", doc.name, prefix=doc.name
	)
	return {"booking": doc.name, "file_url": file.file_url}


def own_photos(photos, booking: str) -> list[str]:
	"""The file_urls of `photos` after checking each is an image I uploaded for `booking` (403 when
	it is someone else's or another document's; 422 for a malformed list)."""
	urls = list(dict.fromkeys(clean_file_urls(photos, max_count=MAX_PHOTOS)))
	return [
		owned_upload(url, IMAGES, MAX_BYTES, private=True, for_document=("HS Booking", booking)).file_url
		for url in urls
	]


def attach_photos(urls: list[str], doctype: str, name: str) -> None:
	"""Move my Files at `urls` from the booking onto the review or complaint they illustrate."""
	for url in urls:
		for file in frappe.get_all(
			"File", filters={"file_url": url, "owner": frappe.session.user}, pluck="name"
		):
			frappe.db.set_value(
				"File",
				file,
				{"attached_to_doctype": doctype, "attached_to_name": name},
				update_modified=False,
			)
