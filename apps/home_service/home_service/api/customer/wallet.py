"""My wallet: the balance recycling pickups paid me, from the ledger, and its entries."""

from decimal import Decimal

import frappe

from home_service.api.customer.scope import ROLE, current_customer
from home_service.api.registry import endpoint, page_args, paged
from home_service.billing.accounts import Account
from home_service.billing.ledger import ENTRY
from home_service.billing.recycling import wallet_fen
from home_service.utils.money import money

TAG = "customer/wallet"


@endpoint(roles=ROLE, tag=TAG)
def get_wallet(page: int = 1, page_size: int = 20) -> dict:
	"""My wallet balance and its movements, newest first (amounts in yuan, credits positive)."""
	customer = current_customer()
	start, length = page_args(page, page_size)
	filters = {"account": Account.CUSTOMER_WALLET, "party_type": "HS Customer", "party": customer}
	rows = frappe.get_all(
		ENTRY,
		filters=filters,
		fields=["amount_fen", "posted_on", "voucher_type", "voucher_no", "booking"],
		order_by="posted_on desc, creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	items = [
		{
			"amount": str(money(Decimal(-row.amount_fen) / 100)),
			"posted_on": str(row.posted_on),
			"source": "recycling" if row.voucher_type == "HS Recycling Pickup" else "other",
			"reference": row.voucher_no,
			"booking": row.booking,
		}
		for row in rows
	]
	return {
		"balance": str(money(Decimal(wallet_fen(customer)) / 100)),
		"currency": "CNY",
		**paged(items, frappe.db.count(ENTRY, filters), start, length),
	}
