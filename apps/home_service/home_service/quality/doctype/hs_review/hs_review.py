# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, now_datetime

from home_service.booking.lifecycle import Status
from home_service.quality.ratings import change_rating
from home_service.utils.text import clean_file_urls, clean_text

MAX_CONTENT = 500
APPEAL_CLOSED = ("Upheld", "Rejected")


class HSReview(Document):
	def validate(self):
		if self.is_new():
			self.set_from_booking()
		self.rating = cint(self.rating)
		if not 1 <= self.rating <= 5:
			frappe.throw(_("The rating must be between 1 and 5 stars."))
		self.content = clean_text(self.content, "Review", MAX_CONTENT, multiline=True)
		self.photos = "\n".join(clean_file_urls((self.photos or "").split() or None)) or None
		self.validate_appeal()

	def set_from_booking(self):
		booking = frappe.db.get_value(
			"HS Booking", self.booking, ["status", "customer", "technician"], as_dict=True
		)
		if not booking:
			frappe.throw(_("Booking {0} does not exist.").format(self.booking), frappe.DoesNotExistError)
		if booking.status != Status.COMPLETED:
			frappe.throw(_("Only a completed booking can be reviewed."))
		if frappe.db.exists("HS Review", {"booking": self.booking}):
			frappe.throw(_("This booking has already been reviewed."), frappe.DuplicateEntryError)
		self.customer, self.technician = booking.customer, booking.technician
		self.service_item = frappe.db.get_value(
			"HS Booking Item",
			{"parent": self.booking, "parenttype": "HS Booking"},
			"service_item",
			order_by="idx",
		)

	def validate_appeal(self):
		"""The technician appeals (Pending); staff uphold (the review is hidden) or reject it."""
		if not self.has_value_changed("appeal_status"):
			return
		if self.appeal_status == "Pending":
			self.appeal_reason = clean_text(self.appeal_reason, "Appeal Reason", 500, required=True)
			self.appealed_on = now_datetime()
		elif self.appeal_status in APPEAL_CLOSED:
			self.appeal_resolved_by, self.appeal_resolved_on = frappe.session.user, now_datetime()
			if self.appeal_status == "Upheld":
				self.status = "Hidden"

	def after_insert(self):
		if self.status == "Published":
			change_rating(self.technician, added=self.rating)

	def on_update(self):
		previous = self.get_doc_before_save()
		if not previous:
			return
		was = previous.rating if previous.status == "Published" else None
		now = self.rating if self.status == "Published" else None
		if was != now:
			change_rating(self.technician, added=now, removed=was)

	def on_trash(self):
		if self.status == "Published":
			change_rating(self.technician, removed=self.rating)


def on_doctype_update():
	frappe.db.add_index("HS Review", ["service_item", "status", "creation"])
	frappe.db.add_index("HS Review", ["technician", "status", "creation"])
