# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Reviews about me and appeals: only mine, once each."""

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.api.technician import reviews
from home_service.api.technician.scope import ConflictError
from home_service.booking.lifecycle import Status
from home_service.tests.factories import advance
from home_service.tests.technician_fixtures import assigned_booking, technician_with_user


def review_of(booking: str, rating: int = 2) -> str:
	return (
		frappe.get_doc({"doctype": "HS Review", "booking": booking, "rating": rating, "content": "迟到了"})
		.insert(ignore_permissions=True)
		.name
	)


class TestReviewsAndAppeals(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.technician, cls.user = technician_with_user()
		cls.other, cls.other_user = technician_with_user()

	def test_reviews_about_me_and_one_appeal_each(self):
		if not reviews.reviews_installed():
			with self.set_user(self.user):
				self.assertEqual(reviews.list_reviews()["items"], [])
				self.assertRaises(frappe.DoesNotExistError, reviews.appeal_review, review="x", reason="y")
			return
		mine = review_of(advance(assigned_booking(self.technician), Status.COMPLETED).name)
		theirs = review_of(advance(assigned_booking(self.other), Status.COMPLETED).name)
		with self.set_user(self.user):
			page = reviews.list_reviews()
			self.assertEqual([row["review"] for row in page["items"]], [mine])
			self.assertNotIn("customer", page["items"][0])
			self.assertRaises(frappe.DoesNotExistError, reviews.appeal_review, review=theirs, reason="不是我")
			self.assertRaises(frappe.ValidationError, reviews.appeal_review, review=mine, reason=" ")
			appealed = reviews.appeal_review(review=mine, reason="客户改约时间导致迟到")
			self.assertEqual(appealed["appeal_status"], "Pending")
			self.assertRaises(ConflictError, reviews.appeal_review, review=mine, reason="再申诉")
		self.assertEqual(frappe.db.get_value("HS Review", theirs, "appeal_status") or "None", "None")

	def test_appeals_refer_only_to_my_records(self):
		mine = assigned_booking(self.technician)
		theirs = assigned_booking(self.other)
		with self.set_user(self.user):
			appeal = reviews.create_appeal(
				subject="罚款申诉",
				reason="客户取消不是我的原因",
				reference_doctype="HS Booking",
				reference_name=mine.name,
			)
			self.assertEqual(appeal["status"], "Pending")
			self.assertRaises(
				ConflictError,
				reviews.create_appeal,
				subject="again",
				reason="again",
				reference_doctype="HS Booking",
				reference_name=mine.name,
			)
			self.assertRaises(
				frappe.DoesNotExistError,
				reviews.create_appeal,
				subject="x",
				reason="y",
				reference_doctype="HS Booking",
				reference_name=theirs.name,
			)
			self.assertRaises(
				frappe.ValidationError,
				reviews.create_appeal,
				subject="x",
				reason="y",
				reference_doctype="User",
				reference_name=self.other_user,
			)
			self.assertEqual([row["appeal"] for row in reviews.list_appeals()["items"]], [appeal["appeal"]])
		with self.set_user(self.other_user):
			self.assertEqual(reviews.list_appeals()["total"], 0)
