# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.tests.factories import advance, make_booking

WORK_ORDER = "HS Service Work Order"


class TestWorkOrderPrint(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("work_order_print")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="work_order_print")

	def test_print_format_is_shipped_for_bookings(self):
		fmt = frappe.get_doc("Print Format", WORK_ORDER)
		self.assertEqual((fmt.doc_type, fmt.module, fmt.standard), ("HS Booking", "Booking", "Yes"))
		self.assertEqual((fmt.print_format_type, fmt.custom_format, fmt.disabled), ("Jinja", 1, 0))
		# the default of the Print view, set on the DocType (no code; Customize Form can change it)
		self.assertEqual(frappe.get_meta("HS Booking").default_print_format, WORK_ORDER)

	def test_renders_the_booking_in_chinese_with_a_masked_phone(self):
		doc = make_booking(contact_phone="13912345678", customer_note="请带鞋套")
		advance(doc, Status.IN_SERVICE)
		doc.reload()
		item = doc.items[0]

		html = frappe.get_print("HS Booking", doc.name, print_format=WORK_ORDER, no_letterhead=1)

		payment = {"Paid": "已支付", "Unpaid": "未支付"}[doc.payment_status]
		for text in (
			"服务工单 / 服务凭证",
			"客户签字",
			"技师签字",
			"应付金额",
			"服务中",
			payment,
			"请带鞋套",
		):
			self.assertIn(text, html)
		self.assertIn(doc.name, html)
		self.assertIn(doc.customer_name, html)
		self.assertIn(doc.technician_name, html)
		self.assertIn(frappe.utils.escape_html(doc.address_display.split("\n")[0]), html)
		self.assertIn(item.item_name, html)
		self.assertIn(doc.get_formatted("grand_total"), html)
		self.assertIn(item.get_formatted("amount", doc), html)
		self.assertIn(frappe.utils.format_datetime(doc.window_start, "yyyy-MM-dd HH:mm"), html)
		self.assertIn(frappe.utils.format_datetime(doc.started_on, "yyyy-MM-dd HH:mm"), html)
		self.assertIn("139****5678", html)
		self.assertNotIn("13912345678", html)

	def test_unassigned_booking_prints_without_a_technician(self):
		doc = make_booking(contact_phone="13800138000")
		html = frappe.get_print("HS Booking", doc.name, print_format=WORK_ORDER, no_letterhead=1)
		self.assertIn("待派单", html)
		self.assertIn("待支付", html)
		self.assertIn("138****8000", html)
