"""The demo city's money side, as setup loads it (demo/money.py, demo/payouts.py): counts and invariants.

bench --site <site> run-tests --module home_service.demo.test_money

Only what the loader made is checked (demo bookings, records created before the load finished), so
tests that run on the same site before this one cannot make it fail, nor pass.
"""

import os
import unittest

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime

from home_service.billing.accounts import Account
from home_service.billing.ledger import unbalanced_keys
from home_service.billing.recycling import price_board
from home_service.booking.lifecycle import CLOSED, Status
from home_service.demo import loader
from home_service.demo.records import Clock
from home_service.utils.money import money, to_fen

DEMO = ("like", "demo:%")
WITHDRAWAL_STATES = ("Pending Approval", "Paid", "Rejected", "Failed", "Cancelled")


def demo_bookings(**filters) -> list:
	return frappe.get_all(
		"HS Booking",
		filters={"idempotency_key": DEMO, **filters},
		fields=[
			"name",
			"status",
			"payment_status",
			"grand_total",
			"paid_amount",
			"refunded_amount",
			"cancellation_fee",
			"creation",
			"paid_on",
		],
	)


class TestDemoMoney(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		if not loader.is_loaded() and os.environ.get("HS_DEMO") == "0":
			raise unittest.SkipTest("the demo data is not loaded (HS_DEMO=0)")
		cls.loaded_at = get_datetime(frappe.db.get_default(loader.DEMO_MARKER))
		cls.bookings = {row.name: row for row in demo_bookings()}

	def made_by_the_load(self, doctype: str, **filters) -> list:
		return frappe.get_all(
			doctype, filters={"creation": ("<=", self.loaded_at), **filters}, fields=["*"], limit=0
		)

	def test_every_paid_booking_has_exactly_one_captured_payment(self):
		payments = {}
		for row in self.made_by_the_load("HS Payment", status="Paid"):
			payments.setdefault(row.booking, []).append(row)
		paid = [b for b in self.bookings.values() if b.payment_status != "Unpaid" and b.grand_total > 0]
		self.assertGreater(len(paid), 400)
		for booking in paid:
			rows = payments.get(booking.name, [])
			self.assertEqual(len(rows), 1, booking.name)
			self.assertEqual(rows[0].amount_fen, to_fen(booking.paid_amount), booking.name)
			# opened after the booking was made, captured when the booking says it was paid
			self.assertLessEqual(booking.creation, rows[0].creation, booking.name)
			self.assertLessEqual(rows[0].creation, rows[0].paid_on, booking.name)
			self.assertEqual(rows[0].paid_on, booking.paid_on, booking.name)
		unpaid = {b.name for b in self.bookings.values() if b.payment_status == "Unpaid"}
		self.assertFalse(unpaid & set(payments))
		gateways = {row.gateway for rows in payments.values() for row in rows}
		self.assertEqual(gateways, {"WeChat Pay", "Alipay", "Offline"})
		# a customer who switched method first left a closed order behind
		self.assertTrue(self.made_by_the_load("HS Payment", status="Closed"))

	def test_refunds_add_up_to_what_bookings_say(self):
		refunded = {}
		for row in self.made_by_the_load("HS Refund", status="Succeeded"):
			refunded[row.booking] = refunded.get(row.booking, 0) + row.amount_fen
		self.assertTrue(refunded)
		kinds = {r.kind for r in self.made_by_the_load("HS Refund", status="Succeeded")}
		self.assertEqual(kinds, {"Cancellation", "Staff"})
		for booking in self.bookings.values():
			self.assertEqual(refunded.get(booking.name, 0), to_fen(booking.refunded_amount), booking.name)
			if booking.status == Status.REFUNDED:
				self.assertEqual(booking.refunded_amount, booking.paid_amount, booking.name)
			if booking.status == Status.CANCELLED and booking.payment_status != "Unpaid":
				# what the policy kept plus what went back is what was paid
				self.assertEqual(
					to_fen(booking.refunded_amount) + to_fen(booking.cancellation_fee),
					to_fen(booking.paid_amount),
					booking.name,
				)

	def test_ledger_balances_and_closed_bookings_hold_no_customer_money(self):
		self.assertEqual(unbalanced_keys(), [])
		held = dict(
			frappe.db.sql(
				"""select booking, sum(amount_fen) from `tabHS Ledger Entry`
				where account = %s and booking is not null group by booking""",
				Account.CUSTOMER_PREPAID,
			)
		)
		for booking in self.bookings.values():
			# still owed to the customer until the booking closes (completed, cancelled, refunded)
			owed = to_fen(booking.paid_amount) - to_fen(booking.refunded_amount)
			expected = 0 if booking.status in CLOSED else -owed
			self.assertEqual(int(held.get(booking.name) or 0), expected, booking.name)

	def test_settlements_withdrawals_in_every_state_within_the_balance(self):
		earnings = self.made_by_the_load("HS Technician Earning")
		settled = [e for e in earnings if e.status == "Settled"]
		self.assertTrue(settled and len(settled) < len(earnings))  # the last week is still pending
		for row in settled:
			self.assertGreaterEqual(row.settled_on, row.settle_after, row.name)
			self.assertLessEqual(row.settled_on, self.loaded_at, row.name)
		withdrawals = self.made_by_the_load("HS Withdrawal", idempotency_key=DEMO)
		self.assertEqual({w.status for w in withdrawals} & set(WITHDRAWAL_STATES), set(WITHDRAWAL_STATES))
		for row in withdrawals:
			if row.status in ("Paid", "Failed", "Cancelled"):
				self.assertTrue(row.approved_by and row.approved_on < row.finished_on, row.name)
			available = frappe.db.sql(
				"""select -sum(amount_fen) from `tabHS Ledger Entry` where account = %s
				and party_type = 'HS Technician' and party = %s and posted_on <= %s""",
				(Account.TECHNICIAN_AVAILABLE, row.technician, row.requested_on),
			)[0][0]
			self.assertGreaterEqual(available, 0, f"{row.name}: more than was available then")

	def test_recycling_pickups_priced_from_the_board_of_their_day(self):
		pickups = self.made_by_the_load("HS Recycling Pickup", status="Paid")
		self.assertTrue(pickups)
		self.assertEqual({p.payout_method for p in pickups}, {"Wallet", "Transfer"})
		for pickup in pickups:
			board = price_board(pickup.price_date)
			self.assertEqual(pickup.price_date, get_datetime(pickup.paid_on).date(), pickup.name)
			lines = frappe.get_all(
				"HS Recycling Pickup Line",
				filters={"parent": pickup.name},
				fields=["waste_type", "price_per_kg", "amount_fen"],
			)
			self.assertTrue(lines, pickup.name)
			for line in lines:
				self.assertEqual(money(line.price_per_kg), board[line.waste_type], pickup.name)
			self.assertEqual(sum(line.amount_fen for line in lines), pickup.total_fen, pickup.name)
		# the board has a history and the next day's price is already published, counted from the
		# demo's own today (loaded at 02:00, before the fixture's reference hour, that is yesterday)
		manifest = loader.read_fixtures(loader.default_path())["manifest"]
		clock = Clock(manifest["reference_now"], now=self.loaded_at)
		demo_today = clock.date(manifest["reference_now"])
		self.assertGreater(
			frappe.db.count("HS Recycling Price", {"valid_on": ("<", add_days(demo_today, -30))}), 0
		)
		self.assertGreater(frappe.db.count("HS Recycling Price", {"valid_on": (">", demo_today)}), 0)

	def test_reconciliation_found_what_the_providers_disagree_on(self):
		items = self.made_by_the_load("HS Reconciliation Item")
		issues = {item.issue for item in items}
		self.assertLessEqual(
			{"Amount Differs", "Missing at Provider", "Paid at Provider but Not Here"}, issues
		)
		self.assertTrue(any(item.resolved and item.resolved_by == "finance@demo.home" for item in items))

	def test_phone_orders_paid_to_staff_approved_by_someone_else(self):
		records = self.made_by_the_load("HS Offline Payment")
		self.assertEqual(
			{r.status for r in records}, {"Approved", "Pending Approval", "Rejected"}, "every state"
		)
		for row in records:
			channel = frappe.db.get_value("HS Booking", row.booking, "source_channel")
			self.assertEqual(channel, "Offline", row.name)
			if row.status == "Pending Approval":
				booking = self.bookings[row.booking]
				self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_PAYMENT, "Unpaid"))
				# the money is in hand: the booking does not expire while finance checks it
				self.assertIsNone(frappe.db.get_value("HS Booking", row.booking, "payment_deadline"))
				continue
			self.assertTrue(row.decided_by and row.decided_by != row.owner, row.name)
			self.assertLessEqual(row.creation, row.decided_on, row.name)
			if row.status == "Approved" and row.payment_type == "Receive":
				payment = frappe.db.get_value(
					"HS Payment", row.payment, ["gateway", "status", "paid_on"], as_dict=True
				)
				self.assertEqual((payment.gateway, payment.status), ("Offline", "Paid"), row.name)
				self.assertEqual(payment.paid_on, self.bookings[row.booking].paid_on, row.name)

	def test_after_sales_in_every_state(self):
		"""Reviews, complaints, penalties and appeals, coupons and leave (demo/care.py)."""
		states = {
			"HS Complaint": {"Open", "In Progress", "Resolved", "Closed"},
			"HS Technician Penalty": {"Draft", "Applied", "Appealed", "Waived"},
			"HS Appeal": {"Pending", "Upheld", "Rejected"},
			"HS Technician Leave": {"Approved", "Pending", "Rejected"},
		}
		for doctype, expected in states.items():
			rows = self.made_by_the_load(doctype)
			self.assertEqual({row.status for row in rows}, expected, doctype)
			self.assertTrue(all(row.creation <= self.loaded_at for row in rows), doctype)
		reviews = self.made_by_the_load("HS Review")
		self.assertGreater(len(reviews), 50)
		self.assertEqual({r.appeal_status for r in reviews if r.status == "Hidden"}, {"Upheld"})
		for row in reviews:
			booking = frappe.db.get_value("HS Booking", row.booking, ["status", "completed_on"], as_dict=True)
			self.assertEqual(booking.status, Status.COMPLETED, row.name)
			self.assertLess(booking.completed_on, row.creation, row.name)
		# a waived penalty's posting is reversed; an applied one took the technician's money
		for row in self.made_by_the_load("HS Technician Penalty"):
			posted = frappe.db.sql(
				"select coalesce(sum(amount_fen), 0) from `tabHS Ledger Entry` where voucher_no = %s"
				" and account = %s",
				(row.name, Account.PLATFORM_REVENUE),
			)[0][0]
			expected = -row.amount_fen if row.status in ("Applied", "Appealed") else 0
			self.assertEqual(int(posted), expected, row.name)
		coupons = {c.source for c in self.made_by_the_load("HS Customer Coupon")}
		self.assertLessEqual({"Event", "Claimed", "Issued"}, coupons)

	def test_offered_bookings_have_their_offers(self):
		for booking in demo_bookings(status=Status.OFFERED):
			self.assertTrue(
				frappe.db.exists("HS Dispatch Offer", {"booking": booking.name}), f"{booking.name}: no offers"
			)

	def test_loading_told_no_staff(self):
		money_docs = [r.name for r in self.made_by_the_load("HS Refund")]
		money_docs += [r.name for r in self.made_by_the_load("HS Payment")]
		self.assertTrue(money_docs)
		self.assertFalse(
			frappe.get_all(
				"Notification Log",
				filters={"document_name": ("in", money_docs), "creation": ("<=", self.loaded_at)},
				limit=1,
			)
		)
