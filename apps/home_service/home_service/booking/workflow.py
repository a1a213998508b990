"""The administrator's Workflow (states, transitions) and the code's status categories, kept in step.

Each Workflow state maps to a category through "Update Field: status". Two kinds of move:

- A system move (payment, dispatch, an accepted offer, a job) lands in the category's own state
  (`state_for_status`): the state named after it, or the first one mapped to it.
- A person's step through the API (the technician's depart … complete, the customer's confirmation,
  a cancellation, an exception report) follows the Workflow as a Desk button would (`step_state`):
  it takes the transition of the step's action (`STEP_ACTIONS`) from the current state, so an
  administrator who points "Finish Service" at a new state "质检" routes the technician's `complete`
  through it. Without that action, the step leaves a category's own state by the transition towards
  the target (directly, or through an added state of the same category that leads there). It never
  leaves a state an administrator added by another action than its own: that state is a gate the
  Workflow's roles pass in Desk, and the step is refused (InvalidTransitionError, 409) naming the
  actions that are allowed there. Cancelling and reporting an exception are exits, open wherever the
  lifecycle allows them; they take the Workflow's transition into that category when there is one.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.workflow import get_workflow_name, is_transition_condition_satisfied

from home_service.booking.lifecycle import InvalidTransitionError, Status

S = Status
# the shipped Workflow's action for a step into each category
STEP_ACTIONS = {
	S.ON_THE_WAY: "Depart",
	S.ARRIVED: "Arrive",
	S.IN_SERVICE: "Start Service",
	S.AWAITING_CONFIRMATION: "Finish Service",
	S.COMPLETED: "Confirm Completion",
	S.CANCELLED: "Cancel",
	S.EXCEPTION: "Report Exception",
}
EXITS = frozenset({S.CANCELLED, S.EXCEPTION})


def active_workflow():
	name = get_workflow_name("HS Booking")
	return frappe.get_cached_doc("Workflow", name) if name else None


def category_of(workflow, state: str | None) -> str | None:
	"""The status category a Workflow state maps to."""
	for row in workflow.states:
		if row.state == state:
			return row.update_value if row.update_field == "status" else None
	return None


def status_of_state(state: str) -> str | None:
	"""The category the active Workflow maps `state` to (None without a Workflow or mapping)."""
	workflow = active_workflow()
	return category_of(workflow, state) if workflow else None


def own_state(workflow, status: str) -> str | None:
	"""The category's own state: the state named after it, else the first state mapped to it."""
	mapped = [s.state for s in workflow.states if s.update_field == "status" and s.update_value == status]
	return status if status in mapped else (mapped[0] if mapped else None)


def state_for_status(status: str, current_state: str | None = None) -> str | None:
	"""The Workflow state a system move into `status` shows.

	Keeps the current state when it already maps to that status (an administrator's state such as
	"质检" mapped to In Service); otherwise the category's own state.
	"""
	workflow = active_workflow()
	if not workflow:
		return current_state
	if category_of(workflow, current_state) == status:
		return current_state
	# a state named after the status, or leave the label as it is
	return own_state(workflow, status) or (
		status if any(s.state == status for s in workflow.states) else current_state
	)


def step_state(doc, to_status: str) -> str:
	"""The Workflow state a person's step towards category `to_status` moves `doc` into; raises
	InvalidTransitionError (409) when the Workflow allows no such step from the booking's state."""
	workflow = active_workflow()
	if not workflow:
		return to_status
	current = doc.workflow_state or own_state(workflow, doc.status)
	exits = _exits(workflow, current, doc)
	state = _route(workflow, exits, current, to_status)
	if state:
		return state
	frappe.throw(
		_("The booking is at {0}: the workflow does not allow {1} from there (allowed: {2}).").format(
			_(current),
			_(STEP_ACTIONS.get(to_status) or to_status),
			", ".join(_(t.action) for t in exits) or _("none"),
		),
		InvalidTransitionError,
		title=_("Status change not allowed"),
	)


def can_step(doc, to_status: str) -> bool:
	"""The Workflow allows the step towards `to_status` from `doc`'s state."""
	return _step_from(doc, to_status, doc.workflow_state) is not None


def already_taken(doc, to_status: str) -> bool:
	"""`doc` is where this step leads: in `to_status`, or in the administrator's state the step
	routes to from its category's own state (a repeated request, e.g. a double tap). An exit is
	never a repeat: a second exception report carries its own reason."""
	if to_status in EXITS:
		return False
	if doc.status == to_status:
		return True
	workflow = active_workflow()
	if not workflow:
		return False
	start = own_state(workflow, doc.status)
	return doc.workflow_state != start and _step_from(doc, to_status, start) == doc.workflow_state


def _step_from(doc, to_status: str, state: str | None) -> str | None:
	workflow = active_workflow()
	if not workflow:
		return to_status
	state = state or own_state(workflow, doc.status)
	return _route(workflow, _exits(workflow, state, doc), state, to_status)


def _route(workflow, exits: list, current: str, to_status: str) -> str | None:
	named = next((t for t in exits if t.action == STEP_ACTIONS.get(to_status)), None)
	if named:
		return named.next_state
	if to_status in EXITS:
		into = next((t for t in exits if category_of(workflow, t.next_state) == to_status), None)
		return into.next_state if into else state_for_status(to_status, current)
	category = category_of(workflow, current)
	if current != own_state(workflow, category):
		return None  # an administrator's state: left only by its own transitions
	direct = [t for t in exits if category_of(workflow, t.next_state) == to_status]
	through = [
		t
		for t in exits
		if t.next_state != current
		and category_of(workflow, t.next_state) == category
		and _reaches(workflow, t.next_state, to_status)
	]
	return (direct or through)[0].next_state if direct or through else None


def _exits(workflow, state: str, doc) -> list:
	"""The transitions out of `state` whose condition (e.g. `doc.technician`) holds for `doc`."""
	return [t for t in workflow.transitions if t.state == state and _holds(t, doc)]


def _holds(transition, doc) -> bool:
	"""The transition's condition (e.g. `doc.technician`) holds for `doc` (a Document or a row)."""
	if not transition.condition:
		return True
	if isinstance(doc, Document):
		return is_transition_condition_satisfied(transition, doc)
	return is_transition_condition_satisfied(transition, _Row(vars(doc)))


class _Row(frappe._dict):
	def as_dict(self):
		return self


def _reaches(workflow, state: str, status: str) -> bool:
	"""A chain of states of `state`'s own category leads from it into category `status` (a detour
	through Exception and back does not count)."""
	category = category_of(workflow, state)
	seen, todo = set(), [state]
	while todo:
		here = todo.pop()
		if here in seen:
			continue
		seen.add(here)
		for t in workflow.transitions:
			if t.state != here:
				continue
			reached = category_of(workflow, t.next_state)
			if reached == status:
				return True
			if reached == category:
				todo.append(t.next_state)
	return False


def shown_state(state: str | None, status: str | None) -> dict:
	"""A booking's (or timeline line's) place in the Workflow as the apps show it: the state (an
	administrator's such as "质检", else its category's) and its label in the user's language."""
	state = state or status
	return {"state": state, "state_label": _(state) if state else None}
