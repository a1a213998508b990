# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Offers: a summary without customer details; accept and reject only my own."""

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from home_service.api.technician import offers
from home_service.booking.lifecycle import Status
from home_service.dispatch.engine import OfferClosedError
from home_service.tests.technician_fixtures import offered_booking, technician_with_user

SUMMARY_KEYS = {
	"offer",
	"offered_on",
	"expires_on",
	"broadcast",  # offered to several technicians at once: the app's grab pool
	"booking",
	"status",
	"state",  # the site's Workflow state and its label (booking/workflow.py shown_state)
	"state_label",
	"items",
	"window_start",
	"window_end",
	"is_immediate",
	"duration_minutes",
	"city",
	"district",
	"distance_km",
	"price",
	"extra_total",
	"currency",
}


class TestOffers(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.technician, cls.user = technician_with_user()
		cls.other, cls.other_user = technician_with_user()

	def test_list_shows_a_summary_without_customer_details(self):
		self.technician, self.user = technician_with_user(home_latitude=31.24, home_longitude=121.47)
		doc, offer = offered_booking(self.technician)
		_theirs, their_offer = offered_booking(self.other)
		with self.set_user(self.user):
			items = offers.list_offers()["items"]
		self.assertEqual([row["offer"] for row in items], [offer])
		row = items[0]
		self.assertEqual(set(row), SUMMARY_KEYS)
		self.assertNotIn(doc.contact_phone, str(row))
		self.assertNotIn(doc.address_display, str(row))
		self.assertRegex(row["price"], r"^\d+\.\d{2}$")
		self.assertEqual(Decimal(row["price"]), Decimal(str(doc.grand_total)).quantize(Decimal("0.01")))
		self.assertEqual(row["district"], "黄浦区")
		self.assertAlmostEqual(row["distance_km"], 1.1, delta=0.3)
		strategy = frappe.db.get_value("HS Dispatch Offer", offer, "strategy")
		self.assertEqual(row["broadcast"], strategy == "Broadcast")
		frappe.db.set_value("HS Dispatch Offer", offer, "strategy", "Broadcast")
		with self.set_user(self.user):
			self.assertTrue(offers.list_offers()["items"][0]["broadcast"])

	def test_expired_offers_are_not_listed(self):
		_doc, offer = offered_booking(self.technician)
		frappe.db.set_value("HS Dispatch Offer", offer, "expires_on", add_to_date(now_datetime(), seconds=-1))
		with self.set_user(self.user):
			self.assertNotIn(offer, [row["offer"] for row in offers.list_offers()["items"]])
			self.assertRaises(OfferClosedError, offers.accept_offer, offer=offer)

	def test_accept_and_reject_only_my_offers(self):
		doc, offer = offered_booking(self.technician)
		_theirs, their_offer = offered_booking(self.other)
		with self.set_user(self.user):
			self.assertRaises(frappe.DoesNotExistError, offers.accept_offer, offer=their_offer)
			self.assertRaises(frappe.DoesNotExistError, offers.reject_offer, offer=their_offer, reason="忙")
			self.assertRaises(frappe.DoesNotExistError, offers.accept_offer, offer="no-such-offer")
			self.assertEqual(offers.accept_offer(offer=offer)["status"], Status.ASSIGNED)
			self.assertRaises(OfferClosedError, offers.accept_offer, offer=offer)
		self.assertEqual(frappe.db.get_value("HS Dispatch Offer", their_offer, "status"), "Pending")
		self.assertEqual(frappe.db.get_value("HS Booking", doc.name, "technician"), self.technician)

	def test_reject_needs_a_reason(self):
		_doc, offer = offered_booking(self.technician)
		with self.set_user(self.user):
			self.assertRaises(frappe.ValidationError, offers.reject_offer, offer=offer, reason="  ")
			self.assertEqual(offers.reject_offer(offer=offer, reason="距离太远")["status"], "Rejected")
		row = frappe.db.get_value("HS Dispatch Offer", offer, ["status", "reject_reason"], as_dict=True)
		self.assertEqual((row.status, row.reject_reason), ("Rejected", "距离太远"))
