"""What quality knows about one booking, for the screens that show it (customer booking detail, the
review and complaint endpoints). Here, not in booking/, because the booking layer must not know the
review and complaint DocTypes' states (quality sits above booking)."""

import frappe
from frappe.query_builder import DocType

from home_service.quality.doctype.hs_complaint.hs_complaint import OPEN_STATUSES


def has_review(booking: str) -> bool:
	review = DocType("HS Review")
	return bool(frappe.qb.from_(review).select(review.name).where(review.booking == booking).limit(1).run())


def has_open_complaint(booking: str) -> bool:
	complaint = DocType("HS Complaint")
	return bool(
		frappe.qb.from_(complaint)
		.select(complaint.name)
		.where((complaint.booking == booking) & complaint.status.isin(OPEN_STATUSES))
		.limit(1)
		.run()
	)
