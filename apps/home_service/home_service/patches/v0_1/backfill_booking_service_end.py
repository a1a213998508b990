import frappe


def execute():
	"""Bookings created before `service_end` existed: planned end = window start + duration."""
	frappe.db.sql(
		"""update `tabHS Booking`
		set service_end = timestampadd(minute, ifnull(duration_minutes, 0), window_start)
		where service_end is null and window_start is not null"""
	)
