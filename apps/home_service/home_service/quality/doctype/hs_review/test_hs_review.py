# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe

from home_service.booking.lifecycle import Status
from home_service.quality.ratings import change_rating
from home_service.tests.customer_fixtures import CustomerTestCase


class TestHSReview(CustomerTestCase):
	def review(self, rating: int = 5, **kw):
		booking = kw.pop("booking", None) or self.booking_in(Status.COMPLETED, hour=kw.pop("hour", 10)).name
		return frappe.get_doc({"doctype": "HS Review", "booking": booking, "rating": rating, **kw}).insert()

	def rating(self) -> tuple[float, int]:
		return tuple(frappe.db.get_value("HS Technician", self.tech, ["rating", "rating_count"]))

	def test_links_come_from_the_booking_and_one_review_per_booking(self):
		someone, _user = self.new_customer()
		doc = self.review(4, customer=someone, technician=self.corner.technician())
		self.assertEqual(
			(doc.customer, doc.technician, doc.service_item), (self.customer, self.tech, self.corner.item)
		)
		self.assertRaises(frappe.DuplicateEntryError, self.review, 5, booking=doc.booking)

	def test_only_completed_bookings_and_sane_values(self):
		open_booking = self.booking_in(Status.ASSIGNED).name
		self.assertRaises(frappe.ValidationError, self.review, booking=open_booking)
		self.assertRaises(frappe.ValidationError, self.review, 9, hour=12)
		self.assertRaises(frappe.ValidationError, self.review, 5, hour=14, content="<b onmouseover=x>hi</b>")

	def test_upheld_appeal_hides_the_review_and_takes_it_out_of_the_rating(self):
		frappe.db.set_value("HS Technician", self.tech, {"rating": 5.0, "rating_count": 3})
		doc = self.review(1)
		self.assertEqual(self.rating(), (4.0, 4))
		doc.appeal_status, doc.appeal_reason = "Pending", "客户下错单"
		doc.save()
		self.assertTrue(doc.appealed_on)
		doc.appeal_status = "Upheld"
		doc.save()
		self.assertEqual((doc.status, doc.appeal_resolved_by), ("Hidden", "Administrator"))
		self.assertEqual(self.rating(), (5.0, 3))
		doc.status = "Published"  # staff publish it again
		doc.save()
		self.assertEqual(self.rating(), (4.0, 4))

	def test_rating_arithmetic(self):
		frappe.db.set_value("HS Technician", self.tech, {"rating": 0, "rating_count": 0})
		change_rating(self.tech, added=4)
		change_rating(self.tech, added=5)
		self.assertEqual(self.rating(), (4.5, 2))
		change_rating(self.tech, added=3, removed=5)  # an edited rating
		self.assertEqual(self.rating(), (3.5, 2))
		change_rating(self.tech, removed=4)
		change_rating(self.tech, removed=3)
		self.assertEqual(self.rating(), (0.0, 0))
