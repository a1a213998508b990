# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""A site without an outgoing Email Account (a fresh one): paying a booking that goes to the
dispatchers, or a refund that succeeds, writes no Error Log row; System Managers are told once, on
the Desk bell (notifications/frappe_email.py)."""

from unittest.mock import patch

import frappe
from frappe.cache_manager import clear_doctype_map
from frappe.desk.doctype.notification_settings.notification_settings import (
	is_email_notifications_enabled_for_type,
)
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.dispatch.engine import dispatch_booking
from home_service.notifications.frappe_email import MARKER
from home_service.tests.billing_fixtures import pay_with_wechat, payable_booking
from home_service.tests.factories import make_user, uid
from home_service.tests.providers import fake_wechatpay


def no_outgoing_email_account(test) -> None:
	"""Switch off every outgoing account (and one from site config) for the test; forget Frappe's
	per-process cache of the account before and after."""
	frappe.db.set_value("Email Account", {"enable_outgoing": 1}, "enable_outgoing", 0)
	conf = {
		key: value for key, value in frappe.local.conf.items() if key not in ("mail_server", "mute_emails")
	}
	test.enterContext(patch.object(frappe.local, "conf", frappe._dict(conf)))
	test.enterContext(patch.dict(frappe.flags, {"mute_emails": False}))
	frappe.local.outgoing_email_account = {}
	test.addCleanup(setattr, frappe.local, "outgoing_email_account", {})


def error_logs() -> list[str]:
	return frappe.get_all("Error Log", pluck="name")


def warnings() -> list[str]:
	"""Bell entries saying there is no outgoing Email Account (one per System Manager)."""
	return frappe.get_all(
		"Notification Log",
		filters={"document_type": "Email Account", "document_name": MARKER},
		pluck="for_user",
	)


class TestWithoutAnOutgoingEmailAccount(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("no_email_account")
		self.addCleanup(frappe.db.rollback, save_point="no_email_account")
		no_outgoing_email_account(self)
		frappe.db.delete("Notification Log", {"document_type": "Email Account", "document_name": MARKER})
		self.errors_before = set(error_logs())
		# the dispatcher queue rule may change inside the savepoint: drop its caches afterwards
		self.addCleanup(clear_doctype_map, "Assignment Rule", "HS Booking")
		self.addCleanup(frappe.clear_document_cache, "Assignment Rule", "HS Dispatcher Queue")

	def new_error_logs(self) -> list[str]:
		return frappe.get_all(
			"Error Log",
			filters={"name": ["not in", list(self.errors_before) or [""]]},
			fields=["method", "error"],
		)

	def test_paying_a_booking_that_goes_to_the_dispatchers_writes_no_error_log(self):
		make_user(["HS Dispatcher"])  # a dispatcher for the queue rule, should it have nobody yet
		frappe.db.set_value("HS Dispatch Rule", {"enabled": 1}, "enabled", 0)
		frappe.get_doc(
			{"doctype": "HS Dispatch Rule", "rule_name": uid("Manual "), "priority": 1, "strategy": "Manual"}
		).insert()
		booking = payable_booking()
		with fake_wechatpay() as fake:
			pay_with_wechat(fake, booking)
		self.assertEqual(booking.status, Status.PENDING_DISPATCH)
		dispatch_booking(booking.name)  # the job the payment enqueued
		todo = frappe.db.get_value(
			"ToDo", {"reference_type": "HS Booking", "reference_name": booking.name}, "allocated_to"
		)
		self.assertTrue(todo)  # a dispatcher got it: Frappe e-mails a copy of the assignment's bell entry
		self.assertTrue(is_email_notifications_enabled_for_type(todo, "Assignment"))
		self.assertEqual(self.new_error_logs(), [])
		self.assertIn("Administrator", warnings())

		another = payable_booking()
		with fake_wechatpay() as fake:
			pay_with_wechat(fake, another)
		dispatch_booking(another.name)
		self.assertEqual(self.new_error_logs(), [])
		self.assertEqual(warnings().count("Administrator"), 1)  # told once

	def test_a_succeeded_refund_writes_no_error_log_and_no_unsent_email(self):
		make_user(["HS Finance"])
		booking = payable_booking()
		refund = frappe.get_doc(
			{
				"doctype": "HS Refund",
				"booking": booking.name,
				"customer": booking.customer,
				"kind": "Staff",
				"status": "Processing",
				"amount": 25,
				"amount_fen": 2500,
				"reason": "测试",
			}
		)
		refund.flags.ignore_links = True  # no payment row: only the shipped e-mail Notification is tested
		refund.insert(ignore_permissions=True, ignore_mandatory=True)
		refund.db_set("status", "Succeeded")  # as billing/refunds.py records the provider's answer
		self.assertEqual(self.new_error_logs(), [])
		self.assertFalse(
			frappe.db.exists(
				"Communication", {"reference_doctype": "HS Refund", "reference_name": refund.name}
			)
		)
		self.assertIn("Administrator", warnings())
