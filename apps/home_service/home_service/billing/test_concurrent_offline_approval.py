# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Finance users approving the same offline payment at once, over separate connections: the booking
is paid once. And an approval racing a rejection: exactly one decision stands.

The bookings, records and users are committed (the racing connections must see them) and removed
again at the end.
"""

import threading
from collections import Counter

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing import offline_payments as offline
from home_service.billing.ledger import ENTRY, unbalanced_keys
from home_service.tests import concurrency
from home_service.tests.factories import make_booking, make_user
from home_service.tests.scheduling_fixtures import Corner, at, day_after

APPROVERS = 8
DOCTYPE = "HS Offline Payment"
BOOKING_ROWS = ("HS Offline Payment", "HS Payment", "HS Booking Event", "HS Points Entry")


def race(site: str, works: list[tuple[str, object]]) -> list:
	"""Each (user, work) at once; ("ok", the record's status) for a success."""

	def reporting(work):
		def run():
			frappe.flags.hs_no_dispatch_jobs = True  # no worker dispatches these bookings meanwhile
			return ("ok", work().status)

		return run

	return concurrency.race(
		site, [(user, reporting(work)) for user, work in works], refused=(offline.OfflinePaymentStateError,)
	)


class TestConcurrentOfflineApproval(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.corner = Corner()
		cls.technician = cls.corner.technician()
		cls.service = make_user(["HS Customer Service"])
		cls.finance = [make_user(["HS Finance"]) for _ in range(APPROVERS)]
		cls.records = {}
		for hour in (10, 14):
			booking = make_booking(
				cls.corner.customer,
				address=cls.corner.address,
				items=cls.corner.items(),
				window_start=at(day_after(3), hour),
				with_capacity=False,
				source_channel="Offline",
			)
			frappe.set_user(cls.service)
			record = frappe.get_doc(
				{
					"doctype": DOCTYPE,
					"payment_type": "Receive",
					"booking": booking.name,
					"amount": booking.grand_total,
					"method": "POS",
					"reference": f"POS-{hour}",
				}
			).insert()
			frappe.set_user("Administrator")
			cls.records[hour] = record.name
		frappe.db.commit()  # nosemgrep: the racing connections must see the bookings and records
		cls.addClassCleanup(cls.remove_committed_records)

	@classmethod
	def remove_committed_records(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		bookings = frappe.get_all("HS Booking", filters={"customer": cls.corner.customer}, pluck="name")
		# ledger rows are append-only for every user; a test that committed its own removes them here
		frappe.db.delete(ENTRY, {"booking": ("in", bookings or [""])})
		for doctype in BOOKING_ROWS:
			frappe.db.delete(doctype, {"booking": ("in", bookings or [""])})
		frappe.db.delete("HS Points Account", {"customer": cls.corner.customer})
		for name in bookings:
			frappe.delete_doc("HS Booking", name, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Technician", cls.technician, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Customer Address", cls.corner.address, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Customer", cls.corner.customer, force=True, ignore_permissions=True)
		category = frappe.db.get_value("HS Service Item", cls.corner.item, "category")
		frappe.delete_doc("HS Service Item", cls.corner.item, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Service Category", category, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Skill", cls.corner.skill, force=True, ignore_permissions=True)
		frappe.delete_doc("HS Service Area", cls.corner.area, force=True, ignore_permissions=True)
		for user in (cls.service, *cls.finance):
			frappe.delete_doc("User", user, force=True, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep: undo the committed setup

	def test_eight_finance_users_approving_at_once_pay_once(self):
		name = self.records[10]
		results = race(frappe.local.site, [(user, lambda: offline.approve(name)) for user in self.finance])
		self.assertEqual(results, [("ok", "Approved")] * APPROVERS)

		frappe.db.rollback()  # a fresh snapshot: read what the racers committed
		booking = frappe.db.get_value(DOCTYPE, name, "booking")
		self.assertEqual(frappe.db.get_value("HS Booking", booking, "payment_status"), "Paid")
		self.assertEqual(frappe.db.count("HS Payment", {"booking": booking}), 1)
		self.assertEqual(frappe.db.count(ENTRY, {"booking": booking}), 2)
		self.assertEqual(
			frappe.db.count("HS Booking Event", {"booking": booking, "to_status": "Pending Dispatch"}), 1
		)
		self.assertEqual(unbalanced_keys(), [])

	def test_an_approval_racing_a_rejection_leaves_one_decision(self):
		name = self.records[14]
		works = [
			(self.finance[0], lambda: offline.approve(name)),
			(self.finance[1], lambda: offline.reject(name, "凭证不清楚")),
		]
		results = race(frappe.local.site, works)
		self.assertEqual(Counter(r[0] for r in results), {"ok": 1, "refused": 1}, results)
		self.assertIn(("refused", 409), results)
		winner = next(r[1] for r in results if r[0] == "ok")

		frappe.db.rollback()
		booking = frappe.db.get_value(DOCTYPE, name, "booking")
		self.assertEqual(frappe.db.get_value(DOCTYPE, name, "status"), winner)
		paid = winner == "Approved"
		self.assertEqual(
			frappe.db.get_value("HS Booking", booking, "payment_status"), "Paid" if paid else "Unpaid"
		)
		self.assertEqual(frappe.db.count("HS Payment", {"booking": booking}), int(paid))
		self.assertEqual(frappe.db.count(ENTRY, {"booking": booking}), 2 * int(paid))
