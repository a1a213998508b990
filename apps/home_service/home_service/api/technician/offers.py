"""Offers dispatch made to me: see them (a summary only, no customer details), accept, reject."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.api.registry import endpoint
from home_service.api.technician.scope import ROLE, current_technician, own_row
from home_service.api.technician.shapes import summaries
from home_service.booking.lifecycle import Status
from home_service.dispatch import engine
from home_service.utils.text import clean_text

TAG = "technician/offers"
MAX_OPEN_OFFERS = 50


@endpoint(roles=ROLE, tag=TAG)
def list_offers() -> dict:
	"""My pending offers, soonest to expire first, each with a booking summary.

	The summary has the items, the arrival window, the district, the distance from me and the price;
	the customer's name, phone and address come with the job once I accept. `broadcast` marks an offer
	made to several technicians at once (the app's grab pool): the first to accept gets the job.
	"""
	technician = current_technician()
	offers = frappe.get_list(
		"HS Dispatch Offer",
		filters={"technician": technician.name, "status": "Pending", "expires_on": (">", now_datetime())},
		fields=["name", "booking", "offered_on", "expires_on", "round", "strategy"],
		order_by="expires_on asc",
		limit_page_length=MAX_OPEN_OFFERS,
	)
	bookings = summaries([o.booking for o in offers], technician)
	items = [
		{
			"offer": offer.name,
			"offered_on": str(offer.offered_on),
			"expires_on": str(offer.expires_on),
			"broadcast": offer.strategy == "Broadcast",
			**bookings[offer.booking],
		}
		for offer in offers
		if offer.booking in bookings and bookings[offer.booking]["status"] == Status.OFFERED
	]
	return {"items": items, "total": len(items)}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def accept_offer(offer: str) -> dict:
	"""Take the job. The first technician to accept gets it; later ones get 409 OFFER_CLOSED."""
	technician = current_technician()
	own_row("HS Dispatch Offer", offer, technician.name, _("Offer"))
	doc = engine.accept_offer(offer, technician.name)
	return {"offer": offer, "booking": doc.name, "status": doc.status}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def reject_offer(offer: str, reason: str) -> dict:
	"""Decline the job with a reason; dispatch moves on to someone else."""
	technician = current_technician(approved=False)
	reason = clean_text(reason, "Reason", 500, required=True, multiline=True)
	own_row("HS Dispatch Offer", offer, technician.name, _("Offer"))
	engine.reject_offer(offer, technician.name, reason)
	return {"offer": offer, "status": "Rejected"}
