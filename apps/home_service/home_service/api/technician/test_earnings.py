# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Earnings summary from the ledger: balances, this month and last month, exact amounts, only mine."""

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_months, get_first_day, today

from home_service.api.technician import earnings
from home_service.billing import earnings as ledger_earnings
from home_service.billing.settings import earnings_settings as current_settings
from home_service.tests.earnings_fixtures import completed_booking, earnings_settings, fund, make_due
from home_service.tests.factories import make_user


def fen(value) -> int:
	return int(Decimal(str(value)) * 100)


class TestEarnings(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("tech_earn")
		frappe.db.set_value("HS Commission Rule", {"enabled": 1}, "enabled", 0)
		self.share = earnings_settings(default_technician_share=80)
		self.share.__enter__()

	def tearDown(self):
		self.share.__exit__(None, None, None)
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="tech_earn")

	def test_balances_and_months_come_from_the_ledger(self):
		user = make_user(user_type="Website User")
		technician = frappe.get_doc(
			{
				"doctype": "HS Technician",
				"technician_name": "师傅 earnings",
				"mobile_no": "13900000001",
				"review_status": "Approved",
				"user": user,
				"wechat_openid": "o-earnings",
			}
		).insert(ignore_permissions=True)
		frappe.get_doc("User", user).add_roles("HS Technician")
		first = completed_booking(technician.name)
		second = completed_booking(technician.name)
		last_month = completed_booking(technician.name)
		frappe.db.set_value(
			ledger_earnings.EARNING,
			{"booking": last_month.name},
			"completed_on",
			add_months(get_first_day(today()), -1),
		)
		make_due(frappe.db.get_value(ledger_earnings.EARNING, {"booking": first.name}))
		ledger_earnings.settle_due()
		other = completed_booking()
		fund(other.technician, 999)

		with self.set_user(user):
			summary = earnings.earnings_summary()
		self.assertEqual(summary["source"], "ledger")
		part = {b.name: round(fen(b.grand_total) * 80 / 100) for b in (first, second, last_month)}
		balances = summary["balances"]
		self.assertEqual(fen(balances["available"]), part[first.name])
		self.assertEqual(fen(balances["pending"]), part[second.name] + part[last_month.name])
		self.assertEqual(fen(balances["in_payout"]), 0)
		self.assertEqual(fen(balances["total_earned"]), sum(part.values()))
		this = summary["this_month"]
		self.assertEqual(this["completed_jobs"], 2)
		self.assertEqual(fen(this["gross_amount"]), fen(first.grand_total) + fen(second.grand_total))
		self.assertEqual(fen(this["earned_amount"]), part[first.name] + part[second.name])
		self.assertEqual(summary["last_month"]["completed_jobs"], 1)
		rules = summary["rules"]  # shown before a withdrawal
		settings = current_settings()
		self.assertEqual(fen(rules["withdrawal_minimum"]), fen(settings.withdrawal_minimum))
		self.assertEqual(rules["withdrawals_per_day"], int(settings.withdrawals_per_day))
