"""An administrator's change to the booking Workflow, made over REST as the Workflow form saves it,
and put back afterwards (HTTP and browser suites)."""

import copy
from contextlib import contextmanager

WORKFLOW = "/api/resource/Workflow/HS Booking Lifecycle"


def _ensure(admin, doctype: str, field: str, name: str) -> None:
	if admin.get(f"/api/resource/{doctype}/{name}").status_code == 404:
		created = admin.post(f"/api/resource/{doctype}", json={field: name})
		assert created.status_code == 200, created.text


@contextmanager
def workflow_changed(admin, states=(), transitions=(), repoint=()):
	"""Add `states` ((state, status category)), `transitions` ((state, action, next state, role)) and
	point existing transitions ((state, action, new next state)) elsewhere, for the block."""
	for state, _status in states:
		_ensure(admin, "Workflow State", "workflow_state_name", state)
	for _state, action, _next, _role in transitions:
		_ensure(admin, "Workflow Action Master", "workflow_action_name", action)
	shipped = admin.get(WORKFLOW)
	assert shipped.status_code == 200, shipped.text
	shipped = shipped.json()["data"]
	rows, moves = copy.deepcopy(shipped["states"]), copy.deepcopy(shipped["transitions"])
	for state, status in states:
		row = {"state": state, "doc_status": "0", "allow_edit": "HS Dispatcher"}
		rows.append({**row, "update_field": "status", "update_value": status})
	for state, action, next_state in repoint:
		next(t for t in moves if (t["state"], t["action"]) == (state, action))["next_state"] = next_state
	for state, action, next_state, role in transitions:
		moves.append({"state": state, "action": action, "next_state": next_state, "allowed": role})
	saved = admin.put(WORKFLOW, json={"states": rows, "transitions": moves})
	assert saved.status_code == 200, saved.text
	try:
		yield
	finally:
		restored = admin.put(
			WORKFLOW, json={"states": shipped["states"], "transitions": shipped["transitions"]}
		)
		assert restored.status_code == 200, restored.text
