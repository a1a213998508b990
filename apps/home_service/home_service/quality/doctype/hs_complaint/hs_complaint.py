# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime

from home_service.booking.lifecycle import Status
from home_service.quality import sla
from home_service.utils.text import clean_file_urls, clean_text

OPEN_STATUSES = ("Open", "In Progress")
MAX_DESCRIPTION = 1000
# written by the SLA job and the compensation / re-visit actions (home_service.quality.sla, .service)
SERVER_MANAGED_FIELDS = (
	"response_due",
	"resolution_due",
	"first_response_on",
	"escalated",
	"escalated_on",
	"escalated_to",
	"breached",
	"compensation_coupon",
	"compensation_refund",
	"revisit_booking",
)


class DuplicateComplaintError(frappe.ValidationError):
	http_status_code = 409


class HSComplaint(Document):
	def validate(self):
		self.guard_server_managed_fields()
		if self.is_new():
			self.set_from_booking()
			self.opened_on = now_datetime()
			sla.set_due_times(self)
		elif self.status != "Open" and not self.first_response_on:
			self.first_response_on = now_datetime()  # taken up, answered or closed: responded
		self.description = clean_text(self.description, "Description", MAX_DESCRIPTION, True, True)
		self.photos = "\n".join(clean_file_urls((self.photos or "").split() or None)) or None
		self.validate_one_open_per_booking()
		self.validate_resolution()

	def guard_server_managed_fields(self):
		if self.flags.hs_trusted:
			return
		previous = self.get_doc_before_save()
		for field in SERVER_MANAGED_FIELDS:
			self.set(field, previous.get(field) if previous else None)

	def set_from_booking(self):
		booking = frappe.db.get_value(
			"HS Booking", self.booking, ["status", "customer", "technician"], as_dict=True
		)
		if not booking:
			frappe.throw(_("Booking {0} does not exist.").format(self.booking), frappe.DoesNotExistError)
		if booking.status == Status.PENDING_PAYMENT:
			frappe.throw(_("A booking that was never paid cannot get a complaint."))
		self.customer, self.technician = booking.customer, booking.technician

	def validate_one_open_per_booking(self):
		if self.status not in OPEN_STATUSES:
			return
		other = frappe.db.exists(
			"HS Complaint",
			{"booking": self.booking, "status": ("in", OPEN_STATUSES), "name": ("!=", self.name or "")},
		)
		if other:
			frappe.throw(
				_("Complaint {0} about this booking is still open.").format(other), DuplicateComplaintError
			)

	def validate_resolution(self):
		if self.status in OPEN_STATUSES:
			self.resolved_on = None
			return
		self.resolution = clean_text(self.resolution, "Resolution", 2000, multiline=True)
		if self.status == "Resolved" and not self.resolution:
			frappe.throw(_("Describe the resolution before resolving the complaint."))
		if self.has_value_changed("status") or not self.resolved_on:
			self.resolved_on = now_datetime()


def on_doctype_update():
	frappe.db.add_index("HS Complaint", ["booking", "status"])
