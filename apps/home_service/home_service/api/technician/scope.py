"""What every technician method starts with: who is calling, and only that technician's records."""

import math

import frappe
from frappe import _

from home_service.utils.money import money

ROLE = ("HS Technician",)
TECHNICIAN_FIELDS = (
	"name",
	"technician_name",
	"user",
	"status",
	"review_status",
	"current_latitude",
	"current_longitude",
	"location_updated_on",
	"home_latitude",
	"home_longitude",
)


class NotATechnicianError(frappe.PermissionError):
	"""The caller has no HS Technician record (403 NOT_A_TECHNICIAN)."""


class NotApprovedError(frappe.PermissionError):
	"""The technician is not (or no longer) approved to take work (403 NOT_APPROVED)."""


class ConflictError(frappe.ValidationError):
	http_status_code = 409


def current_technician(approved: bool = True) -> frappe._dict:
	"""The caller's HS Technician; with `approved`, only one that may take work."""
	row = frappe.db.get_value(
		"HS Technician", {"user": frappe.session.user}, list(TECHNICIAN_FIELDS), as_dict=True
	)
	if not row:
		frappe.throw(_("You have not applied as a technician yet."), NotATechnicianError)
	if approved and row.review_status != "Approved":
		if row.review_status == "Suspended":
			frappe.throw(_("Your technician account is suspended."), NotApprovedError)
		frappe.throw(_("Your technician application has not been approved yet."), NotApprovedError)
	return row


def not_found(label: str | None = None) -> None:
	"""Same answer whether the record exists elsewhere or not at all."""
	frappe.throw(_("{0} not found.").format(label or _("Record")), frappe.DoesNotExistError)


def own_booking(booking: str, technician: str, for_update: bool = False):
	"""The booking when it is assigned to `technician`; otherwise "not found"."""
	if not booking or not frappe.db.exists("HS Booking", {"name": booking, "technician": technician}):
		not_found(_("Booking"))
	doc = frappe.get_doc("HS Booking", booking, for_update=for_update)
	if doc.technician != technician:  # re-checked under the lock
		not_found(_("Booking"))
	return doc


def own_row(doctype: str, name: str, technician: str, label: str, fields: list[str] | None = None):
	"""A row of a DocType with a `technician` link, only when it is the caller's."""
	row = (
		frappe.db.get_value(
			doctype, {"name": name, "technician": technician}, fields or ["name"], as_dict=True
		)
		if name
		else None
	)
	if not row:
		not_found(label)
	return row


def point(latitude: float | None, longitude: float | None, required: bool = True) -> tuple | None:
	"""A validated (lat, lng) pair, or None when both are absent and not required."""
	if latitude is None and longitude is None and not required:
		return None
	if latitude is None or longitude is None:
		frappe.throw(_("Send both latitude and longitude."))
	lat, lng = float(latitude), float(longitude)
	if not (math.isfinite(lat) and math.isfinite(lng)) or not (-90 <= lat <= 90 and -180 <= lng <= 180):
		frappe.throw(_("Latitude must be between -90 and 90 and longitude between -180 and 180."))
	if lat == 0 and lng == 0:
		frappe.throw(_("The location is missing."))
	return lat, lng


def amount(value) -> str:
	"""Money for the client: an exact decimal string in yuan ("128.00")."""
	return str(money(value))


def mask_phone(phone: str | None) -> str | None:
	if not phone:
		return phone
	return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"
