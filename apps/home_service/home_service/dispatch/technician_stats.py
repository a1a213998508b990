"""Counters the platform keeps on the technician (read-only in the form): offers received and jobs
completed, which dispatch scoring reads. They follow bookings, so they live above the booking layer,
not with the technician master (workforce)."""

import frappe

from home_service.booking.lifecycle import Status


def on_booking_update(doc, method=None) -> None:
	"""`doc_events` hook: a booking that becomes Completed adds one to its technician's count."""
	if doc.status != Status.COMPLETED or not doc.technician or not doc.has_value_changed("status"):
		return
	table = frappe.qb.DocType("HS Technician")
	(
		frappe.qb.update(table)
		.set(table.completed_count, table.completed_count + 1)
		.where(table.name == doc.technician)
	).run()


def count_offers_received(technicians: list[str]) -> None:
	"""One more offer received for each technician (run after the dispatch transaction commits)."""
	table = frappe.qb.DocType("HS Technician")
	for name in sorted(set(technicians)):
		frappe.qb.update(table).set(table.offers_received, table.offers_received + 1).where(
			table.name == name
		).run()
