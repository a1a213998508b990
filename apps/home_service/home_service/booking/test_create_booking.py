# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_field
from frappe.tests.utils import FrappeTestCase

from home_service.booking.service import create_booking
from home_service.scheduling.availability import SchedulingError
from home_service.tests.factories import make_address, make_capacity, make_customer, make_item, tomorrow_at


class TestCreateBookingLinks(FrappeTestCase):
	"""The booking service inserts without Frappe's link validation; the booking checks its links."""

	def setUp(self):
		self.customer = make_customer()
		self.address = make_address(self.customer)
		self.item = make_item()
		make_capacity(self.address, [{"service_item": self.item}])

	def create(self, **kw):
		args = {
			"customer": self.customer,
			"address": self.address,
			"items": [{"service_item": self.item}],
			"window_start": tomorrow_at(10),
			**kw,
		}
		return create_booking(**args)

	def bookings_of(self, customer: str) -> list[str]:
		return frappe.get_all("HS Booking", filters={"customer": customer}, pluck="name")

	def test_fetched_fields_are_filled_as_link_validation_would(self):
		field = "hs_test_customer_mobile"
		# an operator's own field fetched from the customer, added in Customize Form
		create_custom_field(
			"HS Booking",
			{"fieldname": field, "label": "Customer Mobile", "fieldtype": "Data", "read_only": 1}
			| {"fetch_from": "customer.mobile_no", "insert_after": "customer_name"},
		)
		self.addCleanup(frappe.delete_doc, "Custom Field", f"HS Booking-{field}", force=True)
		customer = frappe.get_doc("HS Customer", self.customer)

		booking = self.create()

		stored = frappe.db.get_value("HS Booking", booking.name, ["customer_name", field], as_dict=True)
		self.assertEqual(stored.customer_name, customer.customer_name)
		self.assertEqual(stored[field], customer.mobile_no)
		row = frappe.get_all(
			"HS Booking Item", filters={"parent": booking.name}, fields=["item_name", "pricing_model"]
		)[0]
		item = frappe.get_doc("HS Service Item", self.item)
		self.assertEqual((row.item_name, row.pricing_model), (item.item_name, item.pricing_model))

	def test_unknown_customer_is_refused_and_nothing_is_written(self):
		with self.assertRaises(frappe.DoesNotExistError):
			self.create(customer="no-such-customer")
		self.assertEqual(self.bookings_of("no-such-customer"), [])

	def test_unknown_address_and_item_are_refused_and_nothing_is_written(self):
		with self.assertRaises(frappe.ValidationError):
			self.create(address="no-such-address")
		with self.assertRaises(frappe.ValidationError):
			self.create(items=[{"service_item": "no-such-item"}])
		self.assertEqual(self.bookings_of(self.customer), [])

	def test_the_customer_link_keeps_its_stored_spelling(self):
		booking = self.create(customer=self.customer.lower())
		self.assertEqual(booking.customer, self.customer)

	def test_a_visit_longer_than_a_day_is_refused_and_nothing_is_written(self):
		long_item = make_item(duration_minutes=600)
		with self.assertRaises(SchedulingError):
			self.create(items=[{"service_item": long_item, "quantity": 3}])  # 30 hours
		self.assertEqual(self.bookings_of(self.customer), [])
