# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Security case 21: 50 withdrawal requests by one technician at once, over separate connections.

The technician, the funding and the settings are committed (the racing connections must see them)
and removed again at the end.
"""

import threading
from collections import Counter

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing import withdrawals as wd
from home_service.billing.accounts import Account
from home_service.billing.ledger import ENTRY, owed_fen, unbalanced_keys
from home_service.tests import concurrency
from home_service.tests.earnings_fixtures import fund, payout_technician
from home_service.tests.factories import uid

ATTEMPTS = 50
BALANCE_FEN = 1000_00
AMOUNT = "70.00"
T = "HS Technician"
SETTINGS = "HS Earnings Settings"


def race(site: str, works: list) -> list:
	return concurrency.race(site, works, refused=(wd.InsufficientBalanceError, wd.WithdrawalLimitError))


class TestConcurrentWithdrawals(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.previous = frappe.db.sql(
			"select field, value from tabSingles where doctype = %s and field = 'withdrawals_per_day'",
			SETTINGS,
		)
		frappe.db.set_single_value(SETTINGS, "withdrawals_per_day", ATTEMPTS * 2)
		cls.technician = payout_technician()
		fund(cls.technician, BALANCE_FEN)
		frappe.db.commit()  # nosemgrep: the racing connections must see the technician and the money
		cls.addClassCleanup(cls.remove_committed_records)

	@classmethod
	def remove_committed_records(cls):
		frappe.db.rollback()
		names = frappe.get_all(wd.WITHDRAWAL, filters={"technician": cls.technician}, pluck="name")
		# ledger rows are append-only for every user; a test that committed its own removes them here
		frappe.db.delete(ENTRY, {"party_type": T, "party": cls.technician})
		frappe.db.delete(ENTRY, {"voucher_type": wd.WITHDRAWAL, "voucher_no": ("in", names or [""])})
		frappe.db.delete(
			ENTRY,
			{"remarks": "test funding", "party": ("is", "not set"), "posting_key": ("like", "test-fund:%")},
		)
		frappe.db.delete(wd.WITHDRAWAL, {"technician": cls.technician})
		frappe.delete_doc(T, cls.technician, force=True, ignore_permissions=True)
		frappe.db.delete("Singles", {"doctype": SETTINGS, "field": "withdrawals_per_day"})
		for field, value in cls.previous:
			frappe.db.set_single_value(SETTINGS, field, value)
		frappe.db.commit()  # nosemgrep: undo the committed setup

	def test_fifty_requests_never_overdraw(self):
		site = frappe.local.site
		technician = self.technician

		def request():
			doc = wd.request_withdrawal(technician, AMOUNT, "WeChat Pay", uid("race-"))
			return ("ok", doc.name, doc.out_bill_no)

		results = race(site, [request] * ATTEMPTS)
		outcome = Counter(r[0] for r in results)
		winners = BALANCE_FEN // 7000
		self.assertEqual(outcome, {"ok": winners, "refused": ATTEMPTS - winners}, results)
		self.assertEqual({r[1] for r in results if r[0] == "refused"}, {409})
		self.assertEqual(len({r[2] for r in results if r[0] == "ok"}), winners)  # one key each

		frappe.db.rollback()  # a fresh snapshot: read what the racers committed
		self.assertEqual(owed_fen(Account.TECHNICIAN_AVAILABLE, T, technician), BALANCE_FEN - winners * 7000)
		self.assertGreaterEqual(owed_fen(Account.TECHNICIAN_AVAILABLE, T, technician), 0)
		self.assertEqual(owed_fen(Account.TECHNICIAN_PAYOUT, T, technician), winners * 7000)
		self.assertEqual(frappe.db.count(wd.WITHDRAWAL, {"technician": technician}), winners)
		self.assertEqual(unbalanced_keys(), [])

	def test_one_key_retried_at_once_makes_one_withdrawal(self):
		site, technician, key = frappe.local.site, self.technician, uid("same-key-")

		def request():
			doc = wd.request_withdrawal(technician, "10.00", "WeChat Pay", key)
			return ("ok", doc.name)

		results = race(site, [request] * 10)
		self.assertEqual(Counter(r[0] for r in results), {"ok": 10}, results)
		self.assertEqual(len({r[1] for r in results}), 1)
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.count(wd.WITHDRAWAL, {"technician": technician, "idempotency_key": key}), 1
		)
		self.assertEqual(unbalanced_keys(), [])
