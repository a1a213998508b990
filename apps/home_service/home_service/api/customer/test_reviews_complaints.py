# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Reviewing and complaining about my bookings, called as a logged-in customer."""

import frappe

from home_service.api import public
from home_service.api.customer import complaints, reviews
from home_service.api.customer.scope import ConflictError
from home_service.booking.lifecycle import Status
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.utils.text import InvalidInputError
from home_service.utils.uploads import IMAGES, save_private_file

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def my_photo(booking: str) -> str:
	"""A private image the session user uploaded for `booking`, as customer.uploads.upload_photo does."""
	return save_private_file(
		PNG + frappe.generate_hash().encode(), IMAGES, "HS Booking", booking, booking
	).file_url


class TestReviews(CustomerTestCase):
	def test_review_once_after_completion_and_the_rating_moves(self):
		frappe.db.set_value("HS Technician", self.tech, {"rating": 4.0, "rating_count": 4})
		doc = self.booking_in(Status.COMPLETED)
		with self.as_customer():
			photos = [my_photo(doc.name), my_photo(doc.name)]
			review = reviews.submit_review(
				booking=doc.name,
				rating=5,
				content="师傅很专业\n准时到达",
				photos=photos,
			)
			self.assertRaises(ConflictError, reviews.submit_review, booking=doc.name, rating=1)
			mine = reviews.list_reviews()
		self.assertEqual(
			(review["rating"], review["content"], review["photos"]),
			(5, "师傅很专业\n准时到达", photos),
		)
		attached = frappe.get_all(
			"File", filters={"file_url": ("in", photos)}, pluck="attached_to_name", distinct=True
		)
		self.assertEqual(attached, [review["review"]])  # moved from the booking onto the review
		self.assertEqual([r["review"] for r in mine["items"]], [review["review"]])
		rating, count = frappe.db.get_value("HS Technician", self.tech, ["rating", "rating_count"])
		self.assertEqual((rating, count), (4.2, 5))
		summary = public.item_detail(item=self.corner.item)["reviews"]
		self.assertEqual((summary["average"], summary["count"]), (5.0, 1))
		self.assertEqual(summary["latest"][0]["photos"], [])  # private: not for every reader
		customer_name = frappe.db.get_value("HS Customer", self.customer, "customer_name")
		self.assertEqual(summary["latest"][0]["customer"], customer_name[0] + "**")  # masked
		stored = frappe.get_doc("HS Review", review["review"])
		self.assertEqual(
			(stored.customer, stored.technician, stored.service_item),
			(self.customer, self.tech, self.corner.item),
		)

	def test_only_completed_bookings_and_valid_input(self):
		doc = self.booking_in(Status.AWAITING_CONFIRMATION)
		with self.as_customer():
			self.assertRaises(ConflictError, reviews.submit_review, booking=doc.name, rating=5)
		doc.transition_to(Status.COMPLETED)
		with self.as_customer():
			for kw in (
				{"rating": 0},
				{"rating": 6},
				{"content": "<img src=x onerror=alert(1)>"},
				{"content": "好" * 501},
				{"photos": ["javascript:alert(1)"]},
				{"photos": ["/files/x.jpg"] * 10},
			):
				with self.subTest(kw=kw):
					self.assertRaises(
						InvalidInputError, reviews.submit_review, booking=doc.name, **{"rating": 5, **kw}
					)
			self.assertRaises(
				frappe.exceptions.FrappeTypeError, reviews.submit_review, booking=doc.name, rating="4.5"
			)
		self.assertFalse(frappe.db.exists("HS Review", {"booking": doc.name}))

	def test_photos_must_be_my_uploads_for_this_booking(self):
		doc = self.booking_in(Status.COMPLETED)
		other = self.booking_in(Status.COMPLETED, hour=14)
		theirs = self.other_customers_booking(Status.COMPLETED)
		their_user = frappe.db.get_value("HS Customer", theirs.customer, "user")
		with self.as_customer(their_user):
			their_photo = my_photo(theirs.name)
		with self.as_customer():
			for photos in (["/files/a.jpg"], [their_photo], [my_photo(other.name)]):
				with self.subTest(photos=photos):
					self.assertRaises(
						frappe.PermissionError,
						reviews.submit_review,
						booking=doc.name,
						rating=5,
						photos=photos,
					)
					self.assertRaises(
						frappe.PermissionError,
						complaints.open_complaint,
						booking=doc.name,
						category="Other",
						description="x",
						photos=photos,
					)
			mine = my_photo(doc.name)
			opened = complaints.open_complaint(
				booking=doc.name, category="Other", description="x", photos=[mine]
			)
			# now the complaint's: a review of the same booking cannot take it over
			self.assertRaises(
				frappe.PermissionError, reviews.submit_review, booking=doc.name, rating=5, photos=[mine]
			)
		self.assertEqual(opened["photos"], [mine])
		self.assertEqual(
			frappe.db.get_value("File", {"file_url": mine}, ["attached_to_doctype", "attached_to_name"]),
			("HS Complaint", opened["complaint"]),
		)
		self.assertFalse(frappe.db.exists("HS Review", {"booking": doc.name}))

	def test_another_customers_booking_cannot_be_reviewed(self):
		other = self.other_customers_booking(Status.PENDING_PAYMENT)
		with self.as_customer():
			self.assertRaises(frappe.DoesNotExistError, reviews.submit_review, booking=other.name, rating=1)


class TestComplaints(CustomerTestCase):
	def test_one_open_complaint_per_booking(self):
		doc = self.booking_in(Status.ASSIGNED)
		with self.as_customer():
			opened = complaints.open_complaint(
				booking=doc.name, category="Late or No Show", description="师傅迟到一小时"
			)
			self.assertRaises(
				ConflictError,
				complaints.open_complaint,
				booking=doc.name,
				category="Other",
				description="又来",
			)
		self.assertEqual((opened["status"], opened["category"]), ("Open", "Late or No Show"))
		complaint = frappe.get_doc("HS Complaint", opened["complaint"])
		self.assertEqual((complaint.customer, complaint.technician), (self.customer, self.tech))
		complaint.status = "Resolved"
		self.assertRaises(frappe.ValidationError, complaint.save)  # a resolution is required
		complaint.reload()
		complaint.status, complaint.resolution = "Resolved", "已补偿优惠券"
		complaint.save()
		with self.as_customer():
			self.assertEqual(complaints.get_complaint(complaint=complaint.name)["resolution"], "已补偿优惠券")
			complaints.open_complaint(booking=doc.name, category="Other", description="还有问题")
			self.assertEqual(complaints.list_complaints()["total"], 2)

	def test_unpaid_foreign_and_invalid_are_refused(self):
		unpaid = self.book(10)
		paid = self.booking_in(Status.PENDING_DISPATCH, hour=14)
		other = self.other_customers_booking(Status.PENDING_DISPATCH)
		with self.as_customer():
			self.assertRaises(
				ConflictError,
				complaints.open_complaint,
				booking=unpaid.name,
				category="Other",
				description="x",
			)
			self.assertRaises(
				frappe.DoesNotExistError,
				complaints.open_complaint,
				booking=other.name,
				category="Other",
				description="x",
			)
			for kw in ({"category": "Bribe"}, {"description": ""}, {"description": "<script>x</script>"}):
				with self.subTest(kw=kw):
					self.assertRaises(
						InvalidInputError,
						complaints.open_complaint,
						booking=paid.name,
						**{"category": "Other", "description": "x", **kw},
					)
		self.assertFalse(
			frappe.db.exists("HS Complaint", {"booking": ("in", [unpaid.name, other.name, paid.name])})
		)
