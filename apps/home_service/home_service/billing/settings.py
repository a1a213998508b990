"""HS Earnings Settings with the shipped defaults filled in (a fresh site has an empty single)."""

import frappe

SETTINGS = "HS Earnings Settings"
DEFAULTS = {
	"default_technician_share": 70,
	"settlement_delay_days": 7,
	"withdrawal_minimum": 10,
	"withdrawal_maximum": 5000,
	"withdrawals_per_day": 3,
	"transfer_remark": "服务佣金提现",
	"recycling_max_per_pickup": 500,
	"recycling_max_per_customer_day": 1000,
	"recycling_review_kg": 200,
	"recycling_require_photo": 1,
	"recycling_payout_method": "Wallet",
	"recycling_transfer_gateway": "WeChat Pay",
}


def earnings_settings() -> frappe._dict:
	doc = frappe.get_cached_doc(SETTINGS)
	# a single never saved has no rows in tabSingles: keep the defaults; a saved 0 is a real setting
	stored = set(frappe.db.sql("select field from tabSingles where doctype = %s", SETTINGS, pluck=True))
	values = frappe._dict(DEFAULTS)
	for key in DEFAULTS:
		if key in stored and doc.get(key) is not None:
			values[key] = doc.get(key)
	return values
