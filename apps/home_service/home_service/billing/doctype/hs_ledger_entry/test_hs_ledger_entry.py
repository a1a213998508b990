import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing.accounts import Account
from home_service.billing.ledger import (
	UnbalancedTransactionError,
	balance_fen,
	credit,
	debit,
	owed_fen,
	post,
	reverse,
	unbalanced_keys,
)
from home_service.tests.factories import make_customer, uid


class TestLedger(FrappeTestCase):
	def test_balanced_transaction_posts_once(self):
		key, party = f"T-{uid()}:x", make_customer()
		lines = [
			debit(Account.PROVIDER_CLEARING, 1234, "HS Customer", party),
			credit(Account.CUSTOMER_PREPAID, 1234, "HS Customer", party),
		]
		self.assertTrue(post(key, lines))
		self.assertFalse(post(key, lines))  # a retry posts nothing
		self.assertEqual(frappe.db.count("HS Ledger Entry", {"posting_key": key}), 2)
		self.assertEqual(owed_fen(Account.CUSTOMER_PREPAID, "HS Customer", party), 1234)
		self.assertEqual(balance_fen(Account.PROVIDER_CLEARING, "HS Customer", party), 1234)
		self.assertNotIn(key, unbalanced_keys(limit=1000))

	def test_unbalanced_transaction_is_refused(self):
		key = f"T-{uid()}:bad"
		with self.assertRaises(UnbalancedTransactionError):
			post(key, [debit(Account.PROVIDER_CLEARING, 100), credit(Account.PLATFORM_REVENUE, 99)])
		self.assertFalse(frappe.db.exists("HS Ledger Entry", {"posting_key": key}))

	def test_reversal_mirrors_and_nets_to_zero(self):
		key, party = f"T-{uid()}:y", make_customer()
		post(
			key,
			[debit(Account.COUPON_SUBSIDY, 500), credit(Account.CUSTOMER_WALLET, 500, "HS Customer", party)],
		)
		self.assertTrue(reverse(key, f"{key}:reversed"))
		self.assertEqual(owed_fen(Account.CUSTOMER_WALLET, "HS Customer", party), 0)
		reversal = frappe.get_all(
			"HS Ledger Entry", filters={"posting_key": f"{key}:reversed"}, fields=["reverses_key"]
		)
		self.assertEqual({r.reverses_key for r in reversal}, {key})

	def test_entries_are_append_only(self):
		key = f"T-{uid()}:z"
		post(key, [debit(Account.PROVIDER_CLEARING, 1), credit(Account.PLATFORM_REVENUE, 1)])
		entry = frappe.get_doc("HS Ledger Entry", {"posting_key": key, "line_no": 1})
		entry.amount_fen = 2
		with self.assertRaises(frappe.PermissionError):
			entry.save(ignore_permissions=True)
		with self.assertRaises(frappe.PermissionError):
			entry.delete(ignore_permissions=True)
		manual = frappe.get_doc(
			{
				"doctype": "HS Ledger Entry",
				"posting_key": key + "m",
				"line_no": 1,
				"account": "Suspense",
				"amount_fen": 5,
				"posted_on": frappe.utils.now_datetime(),
			}
		)
		with self.assertRaises(frappe.PermissionError):
			manual.insert(ignore_permissions=True)
