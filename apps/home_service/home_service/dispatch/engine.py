"""Dispatch: choose the rule, let its strategy make offers, settle accepts, rejects and timeouts.

All state lives in the database (HS Booking.dispatch_round, HS Dispatch Offer rows), so every step
is idempotent and a crashed worker loses nothing: the minute job re-drives whatever is due.
Lock order everywhere: technician rows first, then the booking row.
"""

import json

import frappe
from frappe import _
from frappe.utils import add_to_date, cint, now_datetime

from home_service.booking.lifecycle import Status
from home_service.booking.stored_text import stored
from home_service.dispatch.scoring import Scored, rank
from home_service.scheduling.availability import candidates_for, is_free, job_for_booking
from home_service.scheduling.calendar import calendars_around
from home_service.scheduling.reach import DEFAULT_SEARCH_RADIUS_KM, applicable_rule, search_radius_km
from home_service.scheduling.settings import get_settings
from home_service.utils import extensions
from home_service.utils.batch import each_isolated

OPEN_STATUSES = (Status.PENDING_DISPATCH, Status.OFFERED)
# dispatch looks at this many nearest qualified technicians; scoring ranks them
CANDIDATE_POOL = 100


class OfferClosedError(frappe.ValidationError):
	http_status_code = 409


class DefaultRule(frappe._dict):
	"""Used when no HS Dispatch Rule matches: auto-assign with the shipped weights."""


DEFAULT_RULE = DefaultRule(
	name=None,
	rule_name="Default",
	strategy="Auto Assign",
	offer_timeout_seconds=120,
	broadcast_size=3,
	max_rounds=3,
	search_radius_km=DEFAULT_SEARCH_RADIUS_KM,
	weight_distance=0.4,
	weight_rating=0.25,
	weight_load=0.15,
	weight_acceptance=0.1,
	weight_previous=0.1,
)


# --- rules and strategies ------------------------------------------------------------------
def find_rule(booking) -> frappe._dict:
	"""The rule for the booking's area and category: the same choice get_slots and the booking's
	hold made for its search radius (scheduling.reach)."""
	return applicable_rule(booking.service_area, booking.service_category) or DEFAULT_RULE


def get_rule(name: str | None) -> frappe._dict:
	if not name:
		return DEFAULT_RULE
	return frappe._dict(frappe.get_cached_doc("HS Dispatch Rule", name).as_dict())


def strategy_for(rule):
	message = _("Dispatch strategy {0} is not installed.").format(rule.strategy)
	return extensions.resolve("hs_dispatch_strategies", rule.strategy, message=message)(rule)


def registered_strategies() -> list[str]:
	return extensions.names("hs_dispatch_strategies")


# --- entry points ---------------------------------------------------------------------------
def dispatch_booking(booking: str) -> None:
	"""Start dispatching a paid booking (idempotent: a booking already offered is left alone)."""
	doc = frappe.get_doc("HS Booking", booking, for_update=True)
	if doc.status != Status.PENDING_DISPATCH or doc.needs_manual_dispatch or doc.technician:
		return
	if pending_offers(doc.name):
		return
	rule = find_rule(doc)
	doc.db_set("dispatch_rule", rule.name, update_modified=False)
	strategy_for(rule).next_round(doc)


def accept_offer(offer: str, technician: str) -> "frappe.model.document.Document":
	"""The technician takes the job. First accept wins; later ones get OfferClosedError."""
	frappe.db.sql("select name from `tabHS Technician` where name = %s for update", technician)
	booking_name = frappe.db.get_value("HS Dispatch Offer", offer, "booking")
	doc = frappe.get_doc("HS Booking", booking_name, for_update=True)
	row = frappe.get_doc("HS Dispatch Offer", offer, for_update=True)
	if row.technician != technician:
		frappe.throw(_("This offer was made to another technician."), frappe.PermissionError)
	if row.status != "Pending" or doc.status != Status.OFFERED or row.expires_on < now_datetime():
		frappe.throw(_("This job is no longer available."), OfferClosedError, title=_("Offer closed"))
	doc.technician = technician
	doc.needs_manual_dispatch = 0
	# this offer is closed first: leaving Offered then withdraws the others, as every way out of
	# Offered does (dispatch/withdraw_offers.py); a refusal below rolls the request back whole
	close_offer(row, "Accepted")
	doc.transition_to(Status.ASSIGNED, note=stored("Accepted offer {0}", offer), actor_role="HS Technician")
	frappe.publish_realtime(
		"hs_booking_assigned", {"booking": doc.name}, doctype="HS Booking", docname=doc.name
	)
	return doc


def reject_offer(offer: str, technician: str, reason: str) -> None:
	booking_name = frappe.db.get_value("HS Dispatch Offer", offer, "booking")
	doc = frappe.get_doc("HS Booking", booking_name, for_update=True)
	row = frappe.get_doc("HS Dispatch Offer", offer, for_update=True)
	if row.technician != technician:
		frappe.throw(_("This offer was made to another technician."), frappe.PermissionError)
	if row.status != "Pending":
		frappe.throw(_("This offer is already closed."), OfferClosedError)
	if not (reason or "").strip():
		frappe.throw(_("Please give a reason."))
	row.reject_reason = reason.strip()[:500]
	close_offer(row, "Rejected")
	after_offer_closed(doc)


def expire_due_offers(limit: int = 200) -> int:
	"""Minute job: time out pending offers and move their bookings on. Safe to run twice."""
	due = frappe.get_all(
		"HS Dispatch Offer",
		filters={"status": "Pending", "expires_on": ("<=", now_datetime())},
		fields=["name", "booking"],
		limit=limit,
		order_by="expires_on asc",
	)
	for booking in sorted({d.booking for d in due}):
		each_isolated(expire_offers_of, booking)
	return len(due)


def expire_offers_of(booking: str) -> None:
	doc = frappe.get_doc("HS Booking", booking, for_update=True)
	for offer in frappe.get_all(
		"HS Dispatch Offer",
		filters={"booking": booking, "status": "Pending", "expires_on": ("<=", now_datetime())},
		pluck="name",
	):
		close_offer(frappe.get_doc("HS Dispatch Offer", offer), "Expired")
	after_offer_closed(doc)


def redrive_stalled(limit: int = 200) -> int:
	"""Minute job: paid bookings that nobody is dispatching (worker crash, lost job) start again."""
	booking = frappe.qb.DocType("HS Booking")
	offer = frappe.qb.DocType("HS Dispatch Offer")
	pending = frappe.qb.from_(offer).select(offer.booking).where(offer.status == "Pending")
	stalled = (
		frappe.qb.from_(booking)
		.select(booking.name)
		.where(booking.status.isin(OPEN_STATUSES))
		.where(booking.needs_manual_dispatch == 0)
		.where(booking.technician.isnull() | (booking.technician == ""))
		.where(booking.name.notin(pending))
		.where(booking.modified < add_to_date(now_datetime(), minutes=-1))
		.limit(limit)
	).run(pluck=True)
	for name in stalled:
		each_isolated(redrive, name)
	return len(stalled)


def redrive(name: str) -> None:
	doc = frappe.get_doc("HS Booking", name, for_update=True)
	if doc.technician or doc.needs_manual_dispatch:
		return
	if doc.status == Status.OFFERED and not pending_offers(name):
		after_offer_closed(doc)
	elif doc.status == Status.PENDING_DISPATCH:
		rule = get_rule(doc.dispatch_rule) if doc.dispatch_rule else find_rule(doc)
		strategy_for(rule).next_round(doc)


# --- shared steps used by strategies -----------------------------------------------------------
def after_offer_closed(doc) -> None:
	if doc.status != Status.OFFERED or pending_offers(doc.name):
		return
	strategy_for(get_rule(doc.dispatch_rule)).on_round_closed(doc)


def ranked_candidates(doc, rule) -> list[Scored]:
	"""Free technicians within the rule's search radius who may take the booking (the eligibility
	get_slots and holds apply) and were not yet offered it, best first."""
	settings = get_settings()
	job = job_for_booking(doc)
	start = doc.window_start
	offered = {
		name
		for (name,) in frappe.db.sql(
			"select technician from `tabHS Dispatch Offer` where booking = %s", doc.name
		)
	}

	def free_among(candidates):
		candidates = [c for c in candidates if c.name not in offered]
		calendars = calendars_around(
			[c.name for c in candidates],
			start,
			weekly_hours={c.name: c.weekly_hours for c in candidates},
		)
		free = [
			c
			for c in candidates
			if is_free(
				calendars[c.name], start, job, settings, ignore=doc.name, check_hours=not doc.is_immediate
			)
		]
		return free, {c.name: calendars[c.name].jobs_on(start.date(), ignore=doc.name) for c in free}

	search = {"online_only": bool(doc.is_immediate), "within_km": search_radius_km(rule)}
	pool = candidates_for(job, start.date(), nearest=CANDIDATE_POOL, **search)
	free, jobs_today = free_among(pool)
	if not free and len(pool) >= CANDIDATE_POOL:
		# the nearest were all busy or offered already: anyone else within reach whom get_slots counted
		free, jobs_today = free_among(candidates_for(job, start.date(), **search))
	return rank(free, doc.customer, rule, jobs_today, settings.daily_cap)


def make_offers(doc, rule, chosen: list[Scored], ranked: list[Scored]) -> None:
	"""Offer the booking to `chosen` for one round and record why."""
	round_no = cint(doc.dispatch_round) + 1
	expires = add_to_date(now_datetime(), seconds=cint(rule.offer_timeout_seconds) or 120)
	for scored in chosen:
		frappe.get_doc(
			{
				"doctype": "HS Dispatch Offer",
				"booking": doc.name,
				"technician": scored.technician,
				"status": "Pending",
				"round": round_no,
				"score": scored.score,
				"dispatch_rule": rule.name,
				"strategy": rule.strategy,
				"offered_on": now_datetime(),
				"expires_on": expires,
			}
		).insert(ignore_permissions=True)
		frappe.publish_realtime(
			"hs_new_offer",
			{"booking": doc.name, "expires_on": str(expires)},
			user=technician_user(scored.technician),
		)
	# counted after commit: updating technician rows while this booking is locked would reverse the
	# lock order (technician rows first) that holds and manual assignment rely on, and deadlock
	frappe.enqueue(
		"home_service.dispatch.technician_stats.count_offers_received",
		technicians=[scored.technician for scored in chosen],
		queue="short",
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
	)
	record_decision(
		doc, rule, round_no, ranked, stored("Offered to {0}", ", ".join(s.technician_name for s in chosen))
	)
	doc.dispatch_round = round_no
	if doc.status != Status.OFFERED:
		doc.transition_to(Status.OFFERED, note=stored("Round {0}", round_no), actor_role="System")
	else:
		doc.db_set("dispatch_round", round_no, update_modified=False)


def send_to_queue(doc, rule, reason: str, ranked: list[Scored] | None = None) -> None:
	"""Nobody (automatic) could take it: dispatchers get it as a ToDo and an alert."""
	from home_service.dispatch.queue import alert_dispatchers, ensure_queue_rule

	ensure_queue_rule()  # before the save: the Assignment Rule acts in the booking's on_update
	record_decision(doc, rule, cint(doc.dispatch_round), ranked or [], reason)
	doc.needs_manual_dispatch = 1
	if doc.status == Status.OFFERED:
		doc.transition_to(Status.PENDING_DISPATCH, note=reason, actor_role="System")
	else:
		doc.flags.hs_trusted = True
		doc.save(ignore_permissions=True)
	alert_dispatchers(doc, reason)


def close_offer(row, status: str) -> None:
	row.status = status
	row.responded_on = now_datetime()
	row.save(ignore_permissions=True)
	if status == "Accepted":
		t = frappe.qb.DocType("HS Technician")
		frappe.qb.update(t).set(t.offers_accepted, t.offers_accepted + 1).where(
			t.name == row.technician
		).run()


def pending_offers(booking: str) -> list[str]:
	return frappe.get_all(
		"HS Dispatch Offer", filters={"booking": booking, "status": "Pending"}, pluck="name"
	)


def record_decision(doc, rule, round_no: int, ranked: list[Scored], outcome: str) -> None:
	frappe.get_doc(
		{
			"doctype": "HS Dispatch Decision",
			"booking": doc.name,
			"round": round_no,
			"decided_on": now_datetime(),
			"dispatch_rule": rule.name,
			"strategy": rule.strategy,
			"outcome": outcome[:140],
			"candidate_count": len(ranked),
			"candidates": json.dumps([s.as_dict() for s in ranked[:20]], ensure_ascii=False, indent=1),
		}
	).insert(ignore_permissions=True)


def technician_user(technician: str) -> str | None:
	return frappe.get_cached_value("HS Technician", technician, "user")
