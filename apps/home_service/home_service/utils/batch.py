"""Batch jobs that work item by item: one item's failure must not undo or stop the others."""

import frappe

from home_service.utils.db import rollback_to


def each_isolated(fn, *args) -> bool:
	"""Run one unit of a batch job; a failure is logged and undone without undoing the others."""
	frappe.db.savepoint("hs_job_item")
	try:
		fn(*args)
		return True
	except Exception as e:
		# after a deadlock the whole transaction is gone; the item is re-driven by the next run
		rollback_to("hs_job_item", e)
		frappe.log_error(
			title=f"{fn.__name__} failed", reference_doctype="HS Booking", reference_name=str(args[0])
		)
		return False
