# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import CENTRE, make_address, make_area, make_customer


class TestHSCustomerAddress(FrappeTestCase):
	def test_service_area_is_found_from_the_location(self):
		area = make_area(lat=CENTRE[0] + 5, lng=CENTRE[1] + 5, radius_km=3)  # far from every demo area
		customer = make_customer()
		inside = frappe.get_doc(
			"HS Customer Address", make_address(customer, CENTRE[0] + 5.01, CENTRE[1] + 5)
		)
		outside = frappe.get_doc(
			"HS Customer Address", make_address(customer, CENTRE[0] + 5.2, CENTRE[1] + 5)
		)
		self.assertEqual(inside.service_area, area)
		self.assertIsNone(outside.service_area)

	def test_polygon_boundary_wins_over_radius(self):
		lat, lng = CENTRE[0] + 7, CENTRE[1] + 7
		square = [[lat, lng], [lat, lng + 0.1], [lat + 0.1, lng + 0.1], [lat + 0.1, lng]]
		area = make_area(lat=lat + 0.05, lng=lng + 0.05, radius_km=50, polygon=frappe.as_json(square))
		customer = make_customer()
		self.assertEqual(
			frappe.db.get_value(
				"HS Customer Address", make_address(customer, lat + 0.05, lng + 0.05), "service_area"
			),
			area,
		)
		self.assertIsNone(
			frappe.db.get_value(
				"HS Customer Address", make_address(customer, lat + 0.2, lng + 0.05), "service_area"
			)
		)

	def test_first_address_is_default_and_only_one_default_remains(self):
		customer = make_customer()
		first = make_address(customer)
		self.assertEqual(frappe.db.get_value("HS Customer Address", first, "is_default"), 1)
		second = make_address(customer, is_default=1)
		defaults = frappe.get_all(
			"HS Customer Address", filters={"customer": customer, "is_default": 1}, pluck="name"
		)
		self.assertEqual(defaults, [second])

	def test_display_and_coordinate_validation(self):
		customer = make_customer()
		doc = frappe.get_doc(
			"HS Customer Address", make_address(customer, province="上海市", district="黄浦区")
		)
		self.assertTrue(doc.address_display.startswith("上海市 上海市 黄浦区"))
		self.assertRaises(frappe.ValidationError, make_address, customer, 95, 121)
