# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""`flags.hs_loaded` (booking/README.md, "Flags"): what the booking service already read is not read
again by the controller, and anything else is read from the database once."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.doctype.hs_booking import hs_booking


def booking(customer: str, address: str):
	doc = frappe.new_doc("HS Booking")
	doc.customer, doc.address = customer, address
	return doc


class TestLoadedFlag(FrappeTestCase):
	def test_the_loaded_customer_and_address_are_used_as_they_are(self):
		doc = booking("HS-CUST-LOADED", "HS-ADDR-LOADED")
		# the row the service reads: the status and every field the booking fetches from the customer
		fetched = {df.fetch_from.split(".")[1]: None for df in doc.meta.get_fields_to_fetch("customer")}
		customer = frappe._dict(fetched, name="HS-CUST-LOADED", status="Active", customer_name="王芳")
		address = frappe._dict(name="HS-ADDR-LOADED", latitude=31.2, longitude=121.4)
		doc.flags.hs_loaded = frappe._dict(customer=customer, address=address)
		with patch.object(hs_booking, "read_link", side_effect=AssertionError("read again")):
			self.assertIs(doc.customer_row(), customer)
		with patch.object(frappe.db, "get_value", side_effect=AssertionError("read again")):
			self.assertIs(doc.address_doc(), address)
		self.assertEqual(doc.customer_name, "王芳")  # fetched from the row, as link validation would

	def test_a_booking_moved_elsewhere_reads_its_new_address_once(self):
		doc = booking("HS-CUST-LOADED", "HS-ADDR-OTHER")
		doc.flags.hs_loaded = frappe._dict(address=frappe._dict(name="HS-ADDR-LOADED"))
		other = frappe._dict(name="HS-ADDR-OTHER")
		with patch.object(frappe.db, "get_value", return_value=other) as read:
			self.assertIs(doc.address_doc(), other)
			self.assertIs(doc.address_doc(), other)
		read.assert_called_once()

	def test_without_the_flag_the_customer_is_read_from_the_database(self):
		doc = booking("HS-CUST-NONE", "HS-ADDR-NONE")
		with patch.object(hs_booking, "read_link", return_value=None) as read:
			self.assertIsNone(doc.customer_row())
		read.assert_called_once_with(doc, "customer", hs_booking.CUSTOMER_COLUMNS)
