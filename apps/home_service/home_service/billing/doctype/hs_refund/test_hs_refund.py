"""Refunds: policy refunds on cancel, retries that keep their key, limits, finance approval
(security plan cases 18–20)."""

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings

from home_service.billing.notifications import handle
from home_service.billing.refunds import RefundLimitError, decide, request_staff_refund, submit_refund
from home_service.booking import cancellation
from home_service.booking.lifecycle import Status
from home_service.tests.billing_fixtures import ledger_rows, pay_with_wechat, payable_booking
from home_service.tests.factories import make_user
from home_service.tests.providers import fake_wechatpay


def cancel(booking, reason="plans changed"):
	doc = frappe.get_doc("HS Booking", booking.name, for_update=True)
	fee = cancellation.cancel(doc, reason)
	return frappe.get_last_doc("HS Refund", filters={"booking": booking.name}), fee


class TestHSRefund(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("refund_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="refund_test")

	def test_late_cancellation_keeps_the_fee_and_refunds_the_rest(self):
		with (
			fake_wechatpay() as fake,
			change_settings("HS Settings", free_cancel_hours=72, late_cancel_fee_percent=20),
		):
			booking = payable_booking()
			pay_with_wechat(fake, booking)
			refund, fee = cancel(booking)
			paid_fen = int(booking.paid_amount * 100)
			self.assertEqual(refund.amount_fen + int(fee * 100), paid_fen)
			self.assertGreater(fee, 0)
			self.assertEqual(submit_refund(refund.name), "Succeeded")
			booking.reload()
			self.assertEqual(
				(booking.status, booking.payment_status), (Status.CANCELLED, "Partially Refunded")
			)
			rows = ledger_rows(booking.name)
			self.assertEqual(sum(r.amount_fen for r in rows), 0)
			revenue = [r.amount_fen for r in rows if r.account == "Platform Revenue"]
			self.assertEqual(revenue, [-int(fee * 100)])
			prepaid = sum(r.amount_fen for r in rows if r.account == "Customer Prepaid")
			self.assertEqual(prepaid, 0)  # nothing is owed on a closed booking

	def test_refunding_a_kept_fee_takes_it_back_from_revenue(self):
		"""Staff give back the fee the policy kept (either refund may succeed first): the booking ends
		Refunded with nothing left in Customer Prepaid and the fee out of Platform Revenue."""
		for fee_first in (False, True):
			with (
				self.subTest(fee_first=fee_first),
				fake_wechatpay() as fake,
				change_settings("HS Settings", free_cancel_hours=72, late_cancel_fee_percent=20),
			):
				booking = payable_booking()
				pay_with_wechat(fake, booking)
				refund, fee = cancel(booking)
				self.assertGreater(fee, 0)
				service = make_user(roles=["HS Customer Service"])
				finance = make_user(roles=["HS Finance"])
				frappe.set_user(service)
				fee_refund = request_staff_refund(booking.name, fee, "goodwill: the fee back")
				frappe.set_user(finance)
				decide(fee_refund.name, approve=True)
				frappe.set_user("Administrator")
				order = [fee_refund, refund] if fee_first else [refund, fee_refund]
				for row in order:
					self.assertEqual(submit_refund(row.name), "Succeeded")
					self.assertEqual(submit_refund(row.name), "Succeeded")  # a replay posts nothing
				booking.reload()
				self.assertEqual((booking.status, booking.payment_status), (Status.REFUNDED, "Refunded"))
				rows = ledger_rows(booking.name)
				self.assertEqual(sum(r.amount_fen for r in rows), 0)
				by_account = {}
				for r in rows:
					by_account[r.account] = by_account.get(r.account, 0) + r.amount_fen
				self.assertEqual(by_account["Customer Prepaid"], 0)
				self.assertEqual(by_account["Platform Revenue"], 0)

	def test_timeout_keeps_the_refund_number_and_refunds_once(self):  # case 19
		with fake_wechatpay() as fake:
			booking = payable_booking()
			pay_with_wechat(fake, booking)
			refund, _fee = cancel(booking)
			fake.knobs.slow["refund"] = 3  # longer than the client waits (hs_gateway_timeout = 2)
			self.assertEqual(submit_refund(refund.name), "Processing")
			fake.knobs.slow.clear()
			self.assertEqual(submit_refund(refund.name), "Succeeded")  # asks first, then applies
			self.assertEqual(fake.counts["refunds"], 1)
			self.assertEqual(list(fake.refunds), [refund.out_refund_no])
			booking.reload()
			self.assertEqual((booking.status, booking.payment_status), (Status.REFUNDED, "Refunded"))

	def test_provider_error_then_retry_with_the_same_key(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			pay_with_wechat(fake, booking)
			refund, _fee = cancel(booking)
			fake.knobs.fail_next["refund"] = 1
			self.assertEqual(submit_refund(refund.name), "Processing")
			self.assertEqual(fake.counts["refunds"], 0)
			self.assertEqual(submit_refund(refund.name), "Succeeded")
			self.assertEqual(list(fake.refunds), [refund.out_refund_no])

	def test_processing_refund_is_finished_by_the_notification_once(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			pay_with_wechat(fake, booking)
			refund, _fee = cancel(booking)
			fake.knobs.refund_state = "PROCESSING"
			self.assertEqual(submit_refund(refund.name), "Processing")
			fake.finish_refund(refund.out_refund_no)
			headers, body = fake.refund_notification(refund.out_refund_no)
			self.assertEqual(handle("WeChat Pay", headers, body).status_code, 204)
			self.assertEqual(
				handle("WeChat Pay", *fake.refund_notification(refund.out_refund_no)).status_code, 204
			)
			refund.reload()
			self.assertEqual(refund.status, "Succeeded")
			refunded = [r for r in ledger_rows(booking.name) if r.posting_key.endswith(":succeeded")]
			self.assertEqual(len(refunded), 2)  # one balanced transaction, posted once

	def test_staff_refunds_need_another_persons_approval_and_cannot_exceed_payment(self):  # case 20
		with fake_wechatpay() as fake:
			booking = payable_booking()
			pay_with_wechat(fake, booking)
			paid = booking.paid_amount
			service = make_user(roles=["HS Customer Service", "HS Finance"])
			finance = make_user(roles=["HS Finance"])
			frappe.set_user(service)
			first = request_staff_refund(booking.name, paid / 2, "scratched table")
			with self.assertRaises(RefundLimitError):
				request_staff_refund(booking.name, paid / 2 + 1, "second complaint")
			with self.assertRaises(frappe.PermissionError):
				decide(first.name, approve=True)  # not one's own request
			self.assertEqual(fake.counts["refunds"], 0)
			frappe.set_user(finance)
			decide(first.name, approve=True)
			self.assertEqual(submit_refund(first.name), "Succeeded")
			booking.reload()
			self.assertEqual(
				(booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Partially Refunded")
			)
			second = request_staff_refund(booking.name, paid / 2, "second complaint")
			decide(second.name, approve=False, note="not justified")
			self.assertEqual(frappe.db.get_value("HS Refund", second.name, "status"), "Rejected")
			self.assertEqual(fake.counts["refunds"], 1)
