"""Recycling pickups for the collector: today's price board and recording the weights on site."""

import frappe
from frappe import _

from home_service.api.registry import endpoint
from home_service.api.technician.jobs import job_photo
from home_service.api.technician.scope import ROLE, amount, current_technician, own_booking
from home_service.billing import recycling

TAG = "technician/recycling"
MAX_PHOTOS = 10


@endpoint(roles=ROLE, tag=TAG)
def recycling_prices() -> dict:
	"""Today's buying price per kg for each waste type."""
	current_technician()
	board = recycling.price_board()
	return {
		"date": frappe.utils.nowdate(),
		"currency": "CNY",
		"prices": [{"waste_type": k, "price_per_kg": amount(v)} for k, v in sorted(board.items())],
	}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def record_recycling(
	booking: str, lines: list[dict], photos: list[str] | None = None, payout: str | None = None
) -> dict:
	"""Record what I weighed at a recycling pickup: `lines` [{waste_type, weight_kg}], `photos` [file_url].

	Upload photos first with `upload_photo`. The platform prices the lines from today's board; a clean
	pickup is paid to the customer at once (`status: Paid`), an unusual one waits for review
	(`status: Review`, with `review_reasons`). While in review it can be recorded again. `payout` is
	how the customer asked to be paid: `Wallet` or `Transfer` (to their WeChat Pay / Alipay account);
	without it the platform's setting decides. `payout_status` tells where the money is.
	"""
	if not isinstance(photos, list | None) or len(photos or []) > MAX_PHOTOS:
		frappe.throw(_("Send at most {0} photo file_urls.").format(MAX_PHOTOS))
	rows = [{"image": job_photo(url, booking), "stage": "During"} for url in photos or []]
	technician = current_technician()
	doc = own_booking(booking, technician.name, for_update=True)
	pickup = recycling.record_pickup(doc, technician.name, lines, rows, payout=payout)
	return {
		"pickup": pickup.name,
		"booking": pickup.booking,
		"status": pickup.status,
		"total_kg": pickup.total_kg,
		"total_amount": amount(pickup.total_amount),
		"lines": [
			{
				"waste_type": row.waste_type,
				"weight_kg": row.weight_kg,
				"price_per_kg": amount(row.price_per_kg),
				"amount": amount(row.amount),
			}
			for row in pickup.lines
		],
		"review_reasons": (pickup.review_reasons or "").splitlines() if pickup.status == "Review" else [],
		"points_awarded": pickup.points_awarded or 0,
		"payout_method": pickup.payout_method,
		"payout_status": pickup.payout_status or None,
	}
