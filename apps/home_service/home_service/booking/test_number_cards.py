# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The workspace's number cards count exactly the bookings they name: known bookings move each card
by a known amount (read in one transaction, so bookings other processes commit meanwhile do not)."""

from datetime import datetime, time, timedelta

import frappe
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate

from home_service.booking.lifecycle import Status
from home_service.tests.factories import advance, make_booking, make_item, make_user
from home_service.tests.report_fixtures import set_row

CARDS = ("Bookings Today", "Awaiting Dispatch", "In Service", "Completed Today")


class TestNumberCards(FrappeTestCase):
	def card(self, name: str) -> int:
		"""The value the workspace shows the operations manager (the card's own document and filters)."""
		doc = frappe.get_doc("Number Card", name)
		with self.set_user(self.manager):
			return int(get_result(doc.as_dict(), doc.filters_json))

	def test_each_card_counts_the_known_bookings(self):
		self.manager = make_user(["HS Operations Manager"])
		before = {name: self.card(name) for name in CARDS}
		item = make_item()
		today = datetime.combine(getdate(), time(12))

		def booking(status: str, window=None, **values) -> str:
			doc = advance(make_booking(item=item), status)
			if window:
				values.update(window_start=window, service_end=window + timedelta(hours=1))
			if values:
				set_row("HS Booking", doc.name, **values)
			return doc.name

		booking(Status.PENDING_PAYMENT, window=today)  # today's visit, not paid yet
		booking(Status.PENDING_DISPATCH)
		booking(Status.OFFERED)
		booking(Status.ON_THE_WAY, window=today)
		booking(Status.IN_SERVICE)
		booking(Status.AWAITING_CONFIRMATION)  # on no card
		booking(Status.COMPLETED)  # completed now
		booking(Status.COMPLETED, completed_on=today - timedelta(days=1))
		booking(Status.CANCELLED, window=today)  # still a booking for today
		booking(Status.PENDING_DISPATCH, window=today + timedelta(days=1))

		after = {name: self.card(name) for name in CARDS}
		self.assertEqual(
			{name: after[name] - before[name] for name in CARDS},
			{"Bookings Today": 3, "Awaiting Dispatch": 3, "In Service": 2, "Completed Today": 1},
		)
