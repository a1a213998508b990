# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
import re

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.numbering import ensure_sequence, next_booking_name
from home_service.tests.factories import make_booking


class TestBookingNumbers(FrappeTestCase):
	def test_numbers_follow_each_other_and_carry_the_year(self):
		first, second = next_booking_name("2031-05-01 10:00:00"), next_booking_name()
		self.assertRegex(first, r"^HS-BK-2031-\d{5,}$")
		self.assertEqual(int(second.rsplit("-", 1)[1]), int(first.rsplit("-", 1)[1]) + 1)
		self.assertTrue(second.startswith(f"HS-BK-{frappe.utils.getdate().year}-"))

	def test_a_booking_is_named_from_the_sequence(self):
		booking = make_booking()
		self.assertRegex(booking.name, r"^HS-BK-\d{4}-\d{5,}$")
		number = int(booking.name.rsplit("-", 1)[1])
		self.assertGreater(int(next_booking_name().rsplit("-", 1)[1]), number)

	def test_ensuring_the_sequence_again_keeps_counting(self):
		before = int(next_booking_name().rsplit("-", 1)[1])
		ensure_sequence()  # migrate runs it every time: it must not restart the numbers
		self.assertGreater(int(next_booking_name().rsplit("-", 1)[1]), before)
		self.assertFalse(re.search(r"HS-BK-\d{4}-0+1$", next_booking_name()))
