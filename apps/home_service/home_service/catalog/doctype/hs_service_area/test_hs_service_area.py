# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_area
from home_service.utils.geo import area_contains, haversine_km


class TestHSServiceArea(FrappeTestCase):
	def test_polygon_must_be_a_list_of_points(self):
		for bad in ("not json", "[[1, 2]]", '[["a", "b"], [1, 2], [3, 4]]', '{"lat": 1}'):
			with self.subTest(bad):
				self.assertRaises(frappe.ValidationError, make_area, polygon=bad)

	def test_centre_and_radius_are_validated(self):
		self.assertRaises(frappe.ValidationError, make_area, lat=120)
		self.assertRaises(frappe.ValidationError, make_area, radius_km=-1)

	def test_radius_membership_and_distance(self):
		area = frappe.get_doc("HS Service Area", make_area(radius_km=5)).as_dict()
		self.assertTrue(area_contains(area, area.center_latitude + 0.04, area.center_longitude))  # 4.4 km
		self.assertFalse(area_contains(area, area.center_latitude + 0.05, area.center_longitude))  # 5.6 km
		# Shanghai People's Square to the Bund is about 1.6 km
		self.assertAlmostEqual(haversine_km(31.2304, 121.4737, 31.2400, 121.4900), 1.88, delta=0.1)
