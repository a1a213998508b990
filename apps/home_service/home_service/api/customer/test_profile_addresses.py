# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""My profile and my addresses, called as a logged-in customer."""

import frappe

from home_service.api.customer import addresses, profile
from home_service.booking.lifecycle import Status
from home_service.tests.customer_fixtures import CustomerTestCase, api
from home_service.tests.factories import make_address
from home_service.utils.text import InvalidInputError

XSS = ("<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "[x](javascript:alert(1))", "&lt;b&gt;")


class TestProfile(CustomerTestCase):
	def test_only_name_gender_and_avatar_change(self):
		with self.as_customer():
			before = profile.get_profile()
			after = api(
				"customer.profile.update_profile",
				customer_name="  王小明 ",
				gender="Male",
				avatar="/files/avatar.png",
				status="Blacklisted",
				mobile_no="13000000000",
				user="Administrator",
			)
		self.assertEqual(
			(after["customer_name"], after["gender"], after["avatar"]),
			("王小明", "Male", "/files/avatar.png"),
		)
		self.assertEqual((after["status"], after["mobile_no"]), ("Active", before["mobile_no"]))
		self.assertEqual(frappe.db.get_value("HS Customer", self.customer, "user"), self.user)

	def test_bad_values_are_refused(self):
		with self.as_customer():
			for kw in (
				{"customer_name": XSS[0]},
				{"customer_name": ""},
				{"customer_name": "名" * 41},
				{"gender": "Other"},
				{"avatar": "javascript:alert(1)"},
				{"avatar": '/files/a.png" onerror="x'},
			):
				with self.subTest(kw=kw):
					self.assertRaises(InvalidInputError, profile.update_profile, **kw)

	def test_a_user_without_the_customer_role_is_refused(self):
		with self.set_user(self.tech_user):
			self.assertRaises(frappe.PermissionError, profile.get_profile)


class TestAddresses(CustomerTestCase):
	def add(self, **kw):
		values = {
			"contact_name": "李四",
			"contact_phone": "13800138000",
			"city": "上海市",
			"detail_address": "人民大道 200 号",
			"latitude": self.corner.lat,
			"longitude": self.corner.lng,
			**kw,
		}
		with self.as_customer():
			return api("customer.addresses.add_address", **values)

	def test_add_list_edit_default_delete(self):
		added = self.add(
			customer="HS-CU-99999", service_area="Nowhere", address_display="<b>x</b>", tag="Parents"
		)
		self.assertTrue(added["serviceable"])
		self.assertEqual(
			frappe.db.get_value("HS Customer Address", added["address"], "customer"), self.customer
		)
		with self.as_customer():
			listed = addresses.list_addresses()
			self.assertEqual(listed["items"][0]["address"], self.address)  # the first one is the default
			self.assertEqual(listed["total"], 2)
			edited = addresses.edit_address(
				address=added["address"], detail_address="人民大道 201 号", district="黄浦区"
			)
			self.assertIn("人民大道 201 号", edited["address_display"])
			self.assertEqual(edited["contact_name"], "李四")  # left out: unchanged
			addresses.set_default_address(address=added["address"])
			self.assertFalse(frappe.db.get_value("HS Customer Address", self.address, "is_default"))
			addresses.delete_address(address=added["address"])
		self.assertFalse(frappe.db.exists("HS Customer Address", added["address"]))
		self.assertTrue(frappe.db.get_value("HS Customer Address", self.address, "is_default"))

	def test_a_booked_address_can_be_deleted_and_the_booking_keeps_its_copy(self):
		place = make_address(self.customer, self.corner.lat, self.corner.lng, detail_address="复兴路 1 号")
		booking = self.booking_in(Status.ASSIGNED, address=place)
		with self.as_customer():
			addresses.delete_address(address=place)
		booking.reload()
		self.assertIsNone(booking.address)
		self.assertIn("复兴路 1 号", booking.address_display)
		booking.transition_to(Status.ON_THE_WAY)  # the booking still moves on without its link

	def test_text_is_plain_and_limited(self):
		for kw in (
			*({"detail_address": payload} for payload in XSS),
			{"contact_name": XSS[1]},
			{"detail_address": "号" * 201},
			{"contact_phone": "call me"},
			{"city": ""},
			{"tag": "Secret"},
			{"latitude": 91.0, "longitude": 121.0},
			{"latitude": 31.0, "longitude": None},
		):
			with self.subTest(kw=kw):
				self.assertRaises((InvalidInputError, frappe.ValidationError), self.add, **kw)
		self.assertEqual(frappe.db.count("HS Customer Address", {"customer": self.customer}), 1)

	def test_other_customers_addresses_are_not_found(self):
		other, _user = self.new_customer()
		theirs = make_address(other, self.corner.lat, self.corner.lng)
		with self.as_customer():
			for method in (addresses.edit_address, addresses.delete_address, addresses.set_default_address):
				with self.subTest(method=method.__name__):
					self.assertRaises(frappe.DoesNotExistError, method, address=theirs)
			listed = addresses.list_addresses(page_size=50)
		self.assertNotIn(theirs, [row["address"] for row in listed["items"]])
		self.assertTrue(frappe.db.exists("HS Customer Address", theirs))
