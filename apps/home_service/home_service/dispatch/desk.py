"""What dispatch decided about one booking, for the Dispatch section of the booking form in Desk.

Staff see why a booking went to whom: each round's rule and strategy, every candidate with the
factor scores the rule weighed, and the offers made. Only roles that may read HS Dispatch Decision
(dispatch and service staff) get it; customers and technicians may read their booking, not this.
"""

import json

import frappe
from frappe import _

from home_service.dispatch.engine import DEFAULT_RULE

MAX_DECISIONS = 10  # the latest rounds; older ones are in the HS Dispatch Decision list
DECISION_FIELDS = (
	"name",
	"round",
	"decided_on",
	"dispatch_rule",
	"strategy",
	"outcome",
	"candidate_count",
	"candidates",
)
OFFER_FIELDS = (
	"name",
	"round",
	"technician",
	"technician_name",
	"status",
	"score",
	"offered_on",
	"expires_on",
	"responded_on",
	"reject_reason",
)


@frappe.whitelist(methods=["GET"])
def dispatch_history(booking: str) -> dict:
	"""The latest decisions (newest first), each with its candidates and the offers of its round."""
	if not frappe.db.exists("HS Booking", booking):
		frappe.throw(_("Booking {0} does not exist.").format(booking), frappe.DoesNotExistError)
	frappe.has_permission("HS Booking", "read", booking, throw=True)
	if not frappe.has_permission("HS Dispatch Decision", "read"):
		frappe.throw(_("Only dispatch and service staff can see dispatch decisions."), frappe.PermissionError)

	offers = frappe.get_all(
		"HS Dispatch Offer",
		filters={"booking": booking},
		fields=OFFER_FIELDS,
		order_by="round asc, creation asc",
	)
	decisions = frappe.get_all(
		"HS Dispatch Decision",
		filters={"booking": booking},
		fields=DECISION_FIELDS,
		order_by="decided_on desc, creation desc",
		limit=MAX_DECISIONS,
	)
	rule_names = dict(
		frappe.get_all(
			"HS Dispatch Rule",
			filters={"name": ("in", {d.dispatch_rule for d in decisions if d.dispatch_rule})},
			fields=["name", "rule_name"],
			as_list=True,
		)
	)
	for decision in decisions:
		decision.rule_name = rule_names.get(decision.dispatch_rule) or (
			decision.dispatch_rule or _(DEFAULT_RULE.rule_name)
		)
		offered = {o.technician: o.status for o in offers if o.round == decision.round}
		decision.candidates = [
			{**candidate, "offer_status": offered.get(candidate.get("technician"))}
			for candidate in parse_candidates(decision.candidates)
		]
	return {"decisions": decisions, "offers": offers}


def parse_candidates(text: str | None) -> list[dict]:
	"""The candidates a decision recorded (engine.record_decision); a hand-edited row may be anything."""
	try:
		candidates = json.loads(text or "[]")
	except ValueError:
		return []
	return [c for c in candidates if isinstance(c, dict)] if isinstance(candidates, list) else []
