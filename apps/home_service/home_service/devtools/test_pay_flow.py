# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""`bench hs-pay-flow` (devtools/pay_flow.py) walks pay, webhook, cancel and refund against each
provider fake and rolls everything back: run it for both gateways and check what it observed."""

import io
from contextlib import redirect_stdout

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.commands import commands
from home_service.devtools.pay_flow import run
from home_service.utils.money import to_fen

WEBHOOK_OK = {"WeChat Pay": (204, ""), "Alipay": (200, "success")}


class TestPayFlow(FrappeTestCase):
	def test_the_command_is_registered_for_both_gateways(self):
		command = next(c for c in commands if c.name == "hs-pay-flow")
		gateway = next(p for p in command.params if p.name == "gateway")
		self.assertEqual(set(gateway.type.choices), set(WEBHOOK_OK))

	def test_the_flow_runs_for_both_gateways_and_leaves_the_site_as_it_was(self):
		for gateway, webhook_ok in WEBHOOK_OK.items():
			with self.subTest(gateway=gateway):
				bookings, entries = frappe.db.count("HS Booking"), frappe.db.count("HS Ledger Entry")
				printed = io.StringIO()
				with redirect_stdout(printed):
					seen = run(gateway)
				self.assertFalse(frappe.flags.mute_emails)  # later code in this process e-mails again
				self.assertEqual(seen["gateway"], gateway)
				self.assertEqual(seen["status_before"], Status.PENDING_PAYMENT)
				self.assertTrue(seen["same_order_on_second_tap"])
				self.assertEqual((seen["webhook"], seen["webhook_again"]), (webhook_ok, webhook_ok))
				self.assertEqual(
					(seen["status_paid"], seen["payment_status_paid"]), (Status.PENDING_DISPATCH, "Paid")
				)
				self.assertEqual(seen["ledger_rows_paid"], 2)  # the replayed webhook posted nothing
				self.assertEqual(seen["refund_result"], "Succeeded")
				paid_fen = to_fen(seen["grand_total"])
				self.assertTrue(0 < seen["refund_fen"] <= paid_fen)
				self.assertEqual(
					seen["payment_status_refunded"],
					"Refunded" if seen["refund_fen"] == paid_fen else "Partially Refunded",
				)
				self.assertIn(seen["status_refunded"], (Status.REFUNDED, Status.CANCELLED))
				keys = seen["ledger_by_key"]
				self.assertTrue(any(k.endswith(":captured") for k in keys), keys)
				self.assertTrue(any(k.endswith(":succeeded") for k in keys), keys)
				self.assertEqual(set(keys.values()), {0})  # every transaction balances
				self.assertIn(seen["booking"], printed.getvalue())
				self.assertIn("rolled back", printed.getvalue())
				# rolled back: nothing of the walk is left
				self.assertFalse(frappe.db.exists("HS Booking", seen["booking"]))
				self.assertEqual(frappe.db.count("HS Booking"), bookings)
				self.assertEqual(frappe.db.count("HS Ledger Entry"), entries)
