# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Commission split at completion, rule choice, settlement after the delay, clawback after refunds."""

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days

from home_service.billing import earnings
from home_service.billing.accounts import Account
from home_service.billing.ledger import owed_fen, unbalanced_keys
from home_service.tests.earnings_fixtures import (
	completed_booking,
	earnings_settings,
	entries,
	fund,
	make_due,
	payout_technician,
)
from home_service.tests.factories import make_category, uid

T = "HS Technician"


def rule(share, level=None, category=None, priority=0, enabled=1) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "HS Commission Rule",
				"rule_name": uid("rule "),
				"technician_share": share,
				"technician_level": level,
				"service_category": category,
				"priority": priority,
				"enabled": enabled,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


class TestEarnings(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("earn_test")
		# rules other tests or the demo left must not decide these cases
		frappe.db.set_value("HS Commission Rule", {"enabled": 1}, "enabled", 0)

	def tearDown(self):
		frappe.db.rollback(save_point="earn_test")

	def test_share_of_rounds_half_up(self):
		self.assertEqual(earnings.share_of(12345, 70), 8642)  # 8641.5 → 8642
		self.assertEqual(earnings.share_of(1, 50), 1)  # 0.5 → 1
		self.assertEqual(earnings.share_of(3, Decimal("33.333")), 1)
		self.assertEqual(earnings.share_of(0, 80), 0)
		self.assertEqual(earnings.share_of(999, 100), 999)

	def test_rule_choice_priority_then_specificity_then_category_tree(self):
		parent = make_category(is_group=1)
		child = make_category(parent=parent)
		any_rule = rule(60)
		level_rule = rule(65, level="Senior")
		parent_rule = rule(70, category=parent)
		both = rule(75, level="Senior", category=child)
		self.assertEqual(earnings.matching_rule("Senior", child).name, both)
		self.assertEqual(earnings.matching_rule("Junior", child).name, parent_rule)
		self.assertEqual(earnings.matching_rule("Senior", None).name, level_rule)
		self.assertEqual(earnings.matching_rule("Junior", None).name, any_rule)
		urgent = rule(90, priority=5)
		self.assertEqual(earnings.matching_rule("Senior", child).name, urgent)
		frappe.db.set_value("HS Commission Rule", urgent, "enabled", 0)
		self.assertEqual(earnings.matching_rule("Senior", child).name, both)
		self.assertRaises(frappe.ValidationError, rule, 101)
		self.assertRaises(frappe.ValidationError, rule, -1)

	def test_completion_posts_an_exact_split_once(self):
		technician = payout_technician(level="Senior")
		with earnings_settings(default_technician_share=Decimal("66.67")):
			booking = completed_booking(technician)
		earning = frappe.get_doc(earnings.EARNING, {"booking": booking.name})
		paid = int(Decimal(str(booking.paid_amount)) * 100)
		self.assertEqual(earning.customer_paid_fen, paid)
		self.assertEqual(earning.technician_fen, earnings.share_of(paid, Decimal("66.67")))
		self.assertEqual(earning.technician_fen + earning.platform_fen, paid)
		rows = entries(posting_key=f"{booking.name}:earning")
		self.assertEqual(sum(r.amount_fen for r in rows), 0)
		by_account = {r.account: r.amount_fen for r in rows}
		self.assertEqual(by_account[Account.CUSTOMER_PREPAID], paid)
		self.assertEqual(by_account[Account.TECHNICIAN_PENDING], -earning.technician_fen)
		self.assertEqual(by_account[Account.PLATFORM_REVENUE], -earning.platform_fen)
		self.assertEqual(owed_fen(Account.TECHNICIAN_PENDING, T, technician), earning.technician_fen)
		# the hook again (a re-save, a replay) posts nothing more
		before = len(entries(booking=booking.name))
		self.assertIsNone(earnings.record_completion(booking))
		booking.save(ignore_permissions=True)
		self.assertEqual(len(entries(booking=booking.name)), before)
		self.assertEqual(frappe.db.count(earnings.EARNING, {"booking": booking.name}), 1)

	def test_subsidies_are_part_of_the_gross(self):
		technician = payout_technician()
		booking = completed_booking(technician)
		earning = frappe.get_doc(earnings.EARNING, {"booking": booking.name})
		frappe.delete_doc(earnings.EARNING, earning.name, force=True, ignore_permissions=True)
		frappe.db.delete("HS Ledger Entry", {"booking": booking.name})
		booking.paid_amount, booking.refunded_amount = Decimal("88.88"), Decimal("8.88")
		booking.discount_amount, booking.points_deduction = Decimal("10.01"), Decimal("0.33")
		rule(80)
		earnings.record_completion(booking)
		rows = {r.account: r.amount_fen for r in entries(posting_key=f"{booking.name}:earning")}
		gross = 8000 + 1001 + 33
		self.assertEqual(rows[Account.CUSTOMER_PREPAID], 8000)
		self.assertEqual(rows[Account.COUPON_SUBSIDY], 1034)
		self.assertEqual(rows[Account.TECHNICIAN_PENDING], -7227)  # 9034 × 80% = 7227.2
		self.assertEqual(rows[Account.PLATFORM_REVENUE], -(gross - 7227))

	def test_settlement_after_the_delay_is_idempotent(self):
		technician = payout_technician()
		with earnings_settings(settlement_delay_days=3):
			booking = completed_booking(technician)
		earning = frappe.get_doc(earnings.EARNING, {"booking": booking.name})
		self.assertEqual(earning.settle_after.date(), add_days(earning.completed_on, 3).date())
		earnings.settle_due()
		self.assertEqual(frappe.db.get_value(earnings.EARNING, earning.name, "status"), "Pending")
		make_due(earning.name)
		earnings.settle_due()
		earnings.settle_due()
		self.assertEqual(earnings.settle(earning.name), 0)
		self.assertEqual(frappe.db.get_value(earnings.EARNING, earning.name, "status"), "Settled")
		self.assertEqual(owed_fen(Account.TECHNICIAN_PENDING, T, technician), 0)
		self.assertEqual(owed_fen(Account.TECHNICIAN_AVAILABLE, T, technician), earning.technician_fen)
		self.assertEqual(len(entries(posting_key=f"{booking.name}:settle")), 2)
		self.assertEqual(unbalanced_keys(), [])

	def test_refund_before_settlement_claws_back_from_pending(self):
		technician = payout_technician()
		booking = completed_booking(technician)
		earning = frappe.get_doc(earnings.EARNING, {"booking": booking.name})
		paid = earning.customer_paid_fen
		self.refund(booking, Decimal(paid // 2) / 100)
		earning.reload()
		# half the payment back: half the technician's part back (half-up), from this booking's pending
		expected = (earning.technician_fen * (paid // 2) * 2 + paid) // (2 * paid)
		self.assertEqual(earning.clawed_back_fen, expected)
		self.assertEqual(earning.refunded_after_fen, paid // 2)
		pending = owed_fen(Account.TECHNICIAN_PENDING, T, technician)
		self.assertEqual(pending, earning.technician_fen - earning.clawed_back_fen)
		# the rest of the refund: the technician's part of this booking is now zero, exactly
		self.refund(booking, Decimal(paid) / 100)
		self.assertEqual(owed_fen(Account.TECHNICIAN_PENDING, T, technician), 0)
		self.assertEqual(owed_fen(Account.CUSTOMER_PREPAID, "HS Booking", booking.name), 0)
		self.assertEqual(unbalanced_keys(), [])

	def test_refund_after_settlement_takes_available_then_records_a_debt(self):
		technician = payout_technician()
		booking = completed_booking(technician)
		earning = frappe.get_doc(earnings.EARNING, {"booking": booking.name})
		make_due(earning.name)
		earnings.settle(earning.name)
		# the technician already withdrew all but 1 yuan of it
		from home_service.billing.ledger import credit, debit, post

		post(
			f"test-spent:{booking.name}",
			[
				debit(Account.TECHNICIAN_AVAILABLE, earning.technician_fen - 100, T, technician),
				credit(Account.TECHNICIAN_PAYOUT, earning.technician_fen - 100, T, technician),
			],
		)
		self.refund(booking, booking.paid_amount)
		self.assertEqual(owed_fen(Account.TECHNICIAN_AVAILABLE, T, technician), 0)  # never negative
		debt = earning.technician_fen - 100
		self.assertEqual(owed_fen(Account.TECHNICIAN_PENDING, T, technician), -debt)
		# the next booking's settlement nets the debt before anything becomes available
		second = completed_booking(technician)
		second_earning = frappe.get_doc(earnings.EARNING, {"booking": second.name})
		make_due(second_earning.name)
		moved = earnings.settle(second_earning.name)
		self.assertEqual(moved, max(0, second_earning.technician_fen - debt))
		self.assertEqual(
			owed_fen(Account.TECHNICIAN_AVAILABLE, T, technician),
			max(0, second_earning.technician_fen - debt),
		)
		self.assertEqual(
			owed_fen(Account.TECHNICIAN_PENDING, T, technician), min(0, second_earning.technician_fen - debt)
		)
		self.assertEqual(unbalanced_keys(), [])

	def refund(self, booking, refunded_total):
		"""What billing/refunds.py does when a refund succeeds: post it and raise refunded_amount."""
		from home_service.billing.ledger import credit, debit, post

		booking.reload()
		delta = int(Decimal(str(refunded_total)) * 100) - int(Decimal(str(booking.refunded_amount)) * 100)
		post(
			f"test-refund:{booking.name}:{refunded_total}",
			[
				debit(Account.CUSTOMER_PREPAID, delta, "HS Booking", booking.name),
				credit(Account.PROVIDER_CLEARING, delta),
			],
			booking=booking.name,
		)
		booking.refunded_amount = refunded_total
		booking.flags.hs_trusted = True
		booking.save(ignore_permissions=True)

	def test_available_balance_unchanged_by_unrelated_funding(self):
		technician = payout_technician()
		fund(technician, 12345)
		self.assertEqual(owed_fen(Account.TECHNICIAN_AVAILABLE, T, technician), 12345)
		self.assertEqual(earnings.balances(technician)["total_earned"], 12345)
		self.assertEqual(unbalanced_keys(), [])
