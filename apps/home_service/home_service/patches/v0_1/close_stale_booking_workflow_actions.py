import frappe
from frappe.query_builder import DocType

# states whose every exit (cancel, report an exception, refund) became optional in this release
NO_TODO_STATES = ("Pending Payment", "Completed", "Cancelled")


def execute():
	"""Close the open booking Workflow Actions nobody is expected to act on: those of a state the
	booking has left (Frappe left them open when the mover held none of their roles) and those of
	states that now have no expected next step."""
	action, booking = DocType("Workflow Action"), DocType("HS Booking")
	stale = (
		frappe.qb.from_(action)
		.join(booking)
		.on(booking.name == action.reference_name)
		.select(action.name)
		.where(
			(action.reference_doctype == "HS Booking")
			& (action.status == "Open")
			& ((action.workflow_state != booking.workflow_state) | action.workflow_state.isin(NO_TODO_STATES))
		)
	).run(pluck=True)
	for start in range(0, len(stale), 1000):
		frappe.qb.update(action).set(action.status, "Completed").where(
			action.name.isin(stale[start : start + 1000])
		).run()
