"""Daily reconciliation against the WeChat Pay fake, and the report over what it recorded."""

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing.doctype.hs_reconciliation_item.hs_reconciliation_item import (
	ReconciliationItemLockedError,
)
from home_service.billing.payments import start_payment
from home_service.billing.reconciliation import ITEM, reconcile_day
from home_service.billing.report.hs_payment_reconciliation.hs_payment_reconciliation import execute
from home_service.tests.billing_fixtures import pay_with_wechat, payable_booking
from home_service.tests.factories import make_user
from home_service.tests.providers import fake_wechatpay
from home_service.tests.report_export import FORMATS, exported, header
from home_service.tests.report_fixtures import set_row
from home_service.utils.money import money

WX = "WeChat Pay"
DAY = "2001-02-03"


class TestPaymentReconciliation(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("recon_test")

	def tearDown(self):
		frappe.db.rollback(save_point="recon_test")

	def payment_of_day(self, out_trade_no: str) -> str:
		name = frappe.db.get_value("HS Payment", {"out_trade_no": out_trade_no})
		set_row("HS Payment", name, creation=f"{DAY} 12:00:00")
		return name

	def items(self):
		return {
			r.reference_name: r
			for r in frappe.get_all(ITEM, filters={"reconciliation_date": DAY}, fields=["*"])
		}

	def test_matches_lost_notifications_amount_and_missing_rows(self):
		with fake_wechatpay() as fake:
			matched = self.payment_of_day(pay_with_wechat(fake, payable_booking())["out_trade_no"])
			# the customer paid but the notification never arrived: still Created here
			lost_no = start_payment(payable_booking().name, WX)["out_trade_no"]
			fake.user_pays(lost_no)
			lost = self.payment_of_day(lost_no)
			# the provider settled 1 yuan less than we recorded
			short_no = pay_with_wechat(fake, payable_booking())["out_trade_no"]
			fake.orders[short_no]["amount"]["total"] -= 100
			short = self.payment_of_day(short_no)
			# we hold it as paid, the provider has no such order
			ghost_no = pay_with_wechat(fake, payable_booking())["out_trade_no"]
			del fake.orders[ghost_no]
			ghost = self.payment_of_day(ghost_no)

			self.assertEqual(reconcile_day(DAY), {WX: {"checked": 4, "issues": 3, "errors": 0}})
			items = self.items()
			self.assertNotIn(matched, items)
			self.assertEqual(
				{
					name: (i.issue, i.our_state, i.our_amount_fen, i.provider_state, i.provider_amount_fen)
					for name, i in items.items()
				},
				{
					lost: ("Paid at Provider but Not Here", "Created", 10000, "PAID", 10000),
					short: ("Amount Differs", "Paid", 10000, "PAID", 9900),
					ghost: ("Missing at Provider", "Paid", 10000, "NOT_FOUND", 0),  # Int columns store 0
				},
			)
			self.assertEqual(money(items[short].provider_amount), Decimal("99.00"))

			# run again: the same three, not six
			reconcile_day(DAY)
			self.assertEqual(len(self.items()), 3)

			columns, rows, _m, _c, summary = execute({"from_date": DAY, "to_date": DAY, "gateway": WX})
			self.assertEqual({r.reference_name for r in rows}, {lost, short, ghost})
			totals = {s["label"]: s["value"] for s in summary}
			# ours: matched + short + ghost; provider: matched + lost + short as settled
			self.assertEqual(totals["WeChat Pay: Our Paid Total"], Decimal("300.00"))
			self.assertEqual(totals["WeChat Pay: Provider Confirmed"], Decimal("299.00"))

			# finance resolves the ghost; a rerun does not bring it back and totals stop counting it
			item = frappe.get_doc(ITEM, self.items()[ghost].name)
			item.resolved = 1
			item.resolution_note = "duplicate order in the test merchant"
			item.save()
			self.assertEqual(item.resolved_by, frappe.session.user)
			reconcile_day(DAY)
			self.assertEqual(set(self.items()), {lost, short, ghost})
			self.assertEqual(frappe.db.count(ITEM, {"reconciliation_date": DAY, "resolved": 1}), 1)
			_c, rows, _m, _ch, summary = execute(
				{"from_date": DAY, "to_date": DAY, "gateway": WX, "hide_resolved": 1}
			)
			self.assertEqual({r.reference_name for r in rows}, {lost, short})
			totals = {s["label"]: s["value"] for s in summary}
			self.assertEqual(totals["WeChat Pay: Provider Confirmed"], Decimal("399.00"))

	def test_observed_values_cannot_be_edited(self):
		with fake_wechatpay() as fake:
			short_no = pay_with_wechat(fake, payable_booking())["out_trade_no"]
			fake.orders[short_no]["amount"]["total"] = 1
			self.payment_of_day(short_no)
			reconcile_day(DAY)
		item = frappe.get_last_doc(ITEM, filters={"reconciliation_date": DAY})
		item.provider_amount_fen = 10000
		with self.assertRaises(ReconciliationItemLockedError):
			item.save()
		self.assertEqual(frappe.db.get_value(ITEM, item.name, "provider_amount_fen"), 1)

	def test_quiet_day_records_nothing(self):
		self.assertEqual(reconcile_day("1990-01-01"), {})

	def test_finance_exports_it_as_csv_and_excel(self):
		with fake_wechatpay() as fake:
			paid = payable_booking()
			short_no = pay_with_wechat(fake, paid)["out_trade_no"]
			fake.orders[short_no]["amount"]["total"] -= 100  # the provider settled 1 yuan less
			short = self.payment_of_day(short_no)
			reconcile_day(DAY)
		item = self.items()[short].name
		filters = {"from_date": DAY, "to_date": DAY, "gateway": WX}
		columns = execute(filters)[0]
		finance = make_user(["HS Finance"])
		for file_format in FORMATS:
			with self.subTest(file_format):
				rows = exported("HS Payment Reconciliation", filters, finance, file_format)
				self.assertEqual(rows[0], header(columns))
				ours, theirs = ["Paid", "100.00"], ["PAID", "99.00"]
				self.assertEqual(
					rows[1:],
					[[item, DAY, WX, "Amount Differs", "HS Payment", short, paid.name, *ours, *theirs, "0"]],
				)
