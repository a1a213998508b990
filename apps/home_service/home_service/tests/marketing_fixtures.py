"""Coupon templates, payments and settings for the marketing tests."""

import frappe
from frappe.utils import add_days, now_datetime

from home_service.booking.lifecycle import Status
from home_service.catalog.pricing import compute_quote
from home_service.tests.factories import mark_paid, uid
from home_service.utils import extensions

MARKETING = {
	"points_per_yuan": 1,
	"yuan_per_100_points": 1,
	"max_redeem_percent": 50,
	"review_points": 20,
	"recycling_points_per_kg": 10,
	"points_validity_days": 365,
}


def apply_marketing_settings(values: dict | None = None) -> None:
	"""Inside the test's transaction (get_settings reads the database, nothing is cached)."""
	frappe.db.set_single_value("HS Marketing Settings", {**MARKETING, **(values or {})})


def make_template(**kw) -> str:
	doc = {
		"doctype": "HS Coupon Template",
		"template_name": uid("测试券 "),
		"enabled": 1,
		"claimable": 1,
		"discount_type": "Fixed Amount",
		"discount_value": 10,
		"validity_type": "Days After Claim",
		"valid_days": 30,
		"quota": 0,
		"per_customer_limit": 1,
		**kw,
	}
	if doc["validity_type"] == "Fixed Dates" and "valid_to" not in kw:
		doc["valid_to"] = add_days(now_datetime(), 30)
	return frappe.get_doc(doc).insert(ignore_permissions=True).name


def pay(doc):
	"""What billing does when a payment arrives: paid fields, the status, then the paid hooks."""
	mark_paid(doc)
	doc.transition_to(Status.PENDING_DISPATCH)
	extensions.emit("hs_on_booking_paid", doc)
	return doc


def quoted_total(address: str, items: list[dict], start):
	place = frappe.db.get_value(
		"HS Customer Address", address, ["service_area", "latitude", "longitude"], as_dict=True
	)
	return compute_quote(items, start, place.service_area, place.latitude, place.longitude).grand_total
