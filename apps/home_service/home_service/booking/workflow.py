"""Keeps the admin-owned Workflow state in step with the code-owned status category."""

import frappe
from frappe.model.workflow import get_workflow_name


def state_for_status(status: str, current_state: str | None = None) -> str | None:
	"""The Workflow state to show for `status`.

	Keeps the current state when it already maps to that status (an administrator's intermediate
	state such as "Quality Check" mapped to In Service); otherwise the first state mapped to it.
	"""
	workflow_name = get_workflow_name("HS Booking")
	if not workflow_name:
		return current_state
	workflow = frappe.get_cached_doc("Workflow", workflow_name)
	mapped = [s.state for s in workflow.states if s.update_field == "status" and s.update_value == status]
	if current_state in mapped:
		return current_state
	if mapped:
		return mapped[0]
	# a state named after the status, or leave the label as it is
	return status if any(s.state == status for s in workflow.states) else current_state
