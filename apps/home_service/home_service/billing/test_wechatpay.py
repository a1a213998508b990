"""WeChat Pay v3 end to end against the local fake: order, requestPayment params, notifications
(and every way a notification can be wrong), active query, recovery job. Security plan cases 8–17."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, get_datetime, now_datetime

from home_service.billing import jobs
from home_service.billing.notifications import handle
from home_service.billing.payments import PaymentNotAllowedError, confirm_payment, start_payment
from home_service.booking.lifecycle import Status
from home_service.integrations.fakes import new_keypair, verify_sha256_rsa
from home_service.tests.billing_fixtures import ledger_rows, pay_with_wechat, payable_booking
from home_service.tests.providers import fake_wechatpay

WX = "WeChat Pay"


class TestWeChatPay(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("wx_test")

	def tearDown(self):
		frappe.db.rollback(save_point="wx_test")

	def test_order_params_are_signed_and_reused_on_retry(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, WX)
			self.assertEqual(start_payment(booking.name, WX), params)  # double tap: the same order
			self.assertEqual(fake.counts["orders"], 1)
			signed = f"{params['appId']}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
			self.assertTrue(verify_sha256_rsa(fake.merchant_keys.public_pem, signed, params["paySign"]))
			self.assertTrue(params["package"].startswith("prepay_id="))
			self.assertEqual(
				fake.orders[params["out_trade_no"]]["amount"]["total"], int(booking.grand_total * 100)
			)

	def test_notification_marks_paid_once_and_posts_balanced_ledger(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			params = pay_with_wechat(fake, booking)
			self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Paid"))
			self.assertEqual(booking.paid_amount, booking.grand_total)
			# one moment: the booking says it was paid exactly when its payment was captured
			payment_paid_on = frappe.db.get_value("HS Payment", params["payment"], "paid_on")
			self.assertEqual(get_datetime(booking.paid_on), get_datetime(payment_paid_on))
			rows = ledger_rows(booking.name)
			self.assertEqual(sum(r.amount_fen for r in rows), 0)
			self.assertEqual(len(rows), 2)
			# the same webhook again (WeChat resends until it sees 2xx): success, no second effect
			headers, body = fake.notification("TRANSACTION.SUCCESS", fake.user_pays(params["out_trade_no"]))
			self.assertEqual(handle(WX, headers, body).status_code, 204)
			self.assertEqual(len(ledger_rows(booking.name)), 2)
			outcomes = frappe.get_all(
				"HS Payment Notification", filters={"reference": params["out_trade_no"]}, pluck="outcome"
			)
			self.assertEqual(sorted(outcomes), ["Applied", "Duplicate"])
			with self.assertRaises(PaymentNotAllowedError):
				start_payment(booking.name, WX)

	def assert_rejected(self, fake, booking, params, headers, body, reason_part):
		before = fake.counts.copy()
		response = handle(WX, headers, body)
		self.assertEqual(response.status_code, 400)
		self.assertEqual(json.loads(response.get_data())["code"], "FAIL")
		booking.reload()
		self.assertEqual(booking.payment_status, "Unpaid")
		self.assertEqual(ledger_rows(booking.name), [])
		self.assertEqual(fake.counts, before)  # rejected without calling WeChat Pay
		log = frappe.get_last_doc("HS Payment Notification", filters={"outcome": "Rejected"})
		self.assertIn(reason_part, log.reason)

	def test_forged_probing_stale_tampered_and_reencoded_notifications_change_nothing(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, WX)
			paid = fake.user_pays(params["out_trade_no"])
			cases = [
				(
					fake.notification("TRANSACTION.SUCCESS", paid, sign_with=new_keypair()),
					"signature",
				),  # case 8
				(
					fake.notification("TRANSACTION.SUCCESS", paid, serial="PUB_KEY_ID_0000"),
					"serial",
				),  # case 9
				(fake.notification("TRANSACTION.SUCCESS", paid, age_seconds=600), "window"),  # case 10
				(fake.notification("TRANSACTION.SUCCESS", paid, apiv3_key="x" * 32), "decrypt"),  # case 12
				(fake.notification("TRANSACTION.SUCCESS", paid, algorithm="AES_128_CBC"), "encryption"),
			]
			headers, body = fake.notification("TRANSACTION.SUCCESS", paid)
			cases.append(((headers, json.dumps(json.loads(body), indent=2).encode()), "signature"))  # case 13
			cases.append((({"Content-Type": "application/json"}, b"{}"), "headers"))  # no signature at all
			for (headers, body), reason in cases:
				with self.subTest(reason=reason):
					self.assert_rejected(fake, booking, params, headers, body, reason)

	def test_amount_or_merchant_mismatch_goes_to_review(self):  # case 11
		with fake_wechatpay() as fake:
			for change, reason in (
				({"amount": {"total": 1, "currency": "CNY"}}, "amount"),
				({"mchid": "1900000001"}, "mchid"),
				({"appid": "wx0000000000000000"}, "appid"),
				({"amount": None}, "currency"),
			):
				with self.subTest(reason=reason):
					booking = payable_booking()
					params = start_payment(booking.name, WX)
					paid = fake.user_pays(params["out_trade_no"])
					if change.get("amount", 0) is None:
						change = {"amount": {**paid["amount"], "currency": "USD"}}
					response = handle(WX, *fake.notification("TRANSACTION.SUCCESS", {**paid, **change}))
					self.assertEqual(response.status_code, 400)
					booking.reload()
					self.assertEqual(booking.payment_status, "Unpaid")
					self.assertEqual(ledger_rows(booking.name), [])
					payment = frappe.get_doc("HS Payment", params["payment"])
					self.assertEqual(payment.status, "Review")
					self.assertIn(reason, payment.review_reason)

	def test_client_claim_is_checked_with_the_provider(self):  # case 16
		with fake_wechatpay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, WX)
			self.assertEqual(confirm_payment(booking.name), "Unpaid")  # requestPayment:ok is no proof
			fake.user_pays(params["out_trade_no"])
			self.assertEqual(confirm_payment(booking.name), "Paid")
			booking.reload()
			self.assertEqual(booking.status, Status.PENDING_DISPATCH)

	def test_recovery_job_finds_payments_whose_notification_was_lost(self):  # case 17
		"""The scheduler's entry point, so its row selection is what is tested: a payment is queried
		once it is a minute old and until it is a day old, at most once a minute."""
		with fake_wechatpay() as fake:

			def queried(params) -> int:
				return sum(1 for r in fake.requests if r.method == "GET" and params["out_trade_no"] in r.path)

			def aged(params, minutes: int, last_queried_minutes: int | None = None):
				values = {"creation": add_to_date(now_datetime(), minutes=-minutes)}
				if last_queried_minutes is not None:
					values["last_queried_on"] = add_to_date(now_datetime(), minutes=-last_queried_minutes)
				frappe.db.set_value("HS Payment", params["payment"], values, update_modified=False)

			fresh, lost, recent, stale = (start_payment(payable_booking().name, WX) for _ in range(4))
			for params in (fresh, lost, recent, stale):
				fake.user_pays(params["out_trade_no"])  # paid at WeChat; no notification ever comes
			aged(lost, 5)
			aged(recent, 5, last_queried_minutes=0)  # asked seconds ago
			aged(stale, 25 * 60)  # older than the job looks
			jobs.follow_up_payments_refunds_transfers()
			status = {
				key: frappe.db.get_value("HS Payment", params["payment"], "status")
				for key, params in (("fresh", fresh), ("lost", lost), ("recent", recent), ("stale", stale))
			}
			self.assertEqual(
				status, {"fresh": "Created", "lost": "Paid", "recent": "Created", "stale": "Created"}
			)
			self.assertEqual([queried(p) for p in (fresh, lost, recent, stale)], [0, 1, 0, 0])
			aged(recent, 5, last_queried_minutes=2)
			jobs.follow_up_payments_refunds_transfers()
			self.assertEqual(frappe.db.get_value("HS Payment", recent["payment"], "status"), "Paid")
			self.assertEqual(queried(lost), 1)  # a paid payment is not asked about again
			booking = frappe.db.get_value("HS Payment", lost["payment"], "booking")
			self.assertEqual(frappe.db.get_value("HS Booking", booking, "payment_status"), "Paid")
			self.assertEqual(len(ledger_rows(booking)), 2)
			self.assertEqual(jobs.recover_payment(lost["payment"]), "Paid")  # idempotent

	def test_switching_method_closes_the_first_order(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			first = start_payment(booking.name, WX)
			frappe.db.set_value("HS Booking", booking.name, "grand_total", booking.grand_total + 1)
			second = start_payment(booking.name, WX)  # a new amount needs a new order
			self.assertNotEqual(first["out_trade_no"], second["out_trade_no"])
			self.assertEqual(fake.orders[first["out_trade_no"]]["trade_state"], "CLOSED")
			self.assertEqual(frappe.db.get_value("HS Payment", first["payment"], "status"), "Closed")

	def test_payment_after_cancellation_is_refunded(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, WX)
			booking.transition_to(Status.CANCELLED, note="changed my mind")
			headers, body = fake.paid_notification(params["out_trade_no"])
			self.assertEqual(handle(WX, headers, body).status_code, 204)
			refund = frappe.get_last_doc("HS Refund", filters={"booking": booking.name})
			self.assertEqual(
				(refund.kind, refund.amount_fen), ("Late Payment", int(booking.grand_total * 100))
			)


class TestFreeBooking(FrappeTestCase):
	def test_a_booking_coupons_make_free_is_paid_on_creation(self):
		from home_service.booking.service import create_booking
		from home_service.marketing.coupons import issue_coupon
		from home_service.tests.factories import (
			make_address,
			make_capacity,
			make_customer,
			make_item,
			tomorrow_at,
		)
		from home_service.tests.marketing_fixtures import apply_marketing_settings, make_template

		apply_marketing_settings()
		customer = make_customer()
		address = make_address(customer)
		item = make_item(base_price=30)
		make_capacity(address, [{"service_item": item}])
		coupon = issue_coupon(make_template(discount_value=500), customer)
		booking = create_booking(customer, address, [{"service_item": item}], tomorrow_at(10), coupon=coupon)
		self.assertEqual(booking.grand_total, 0)
		self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Paid"))
		self.assertEqual(frappe.db.get_value("HS Customer Coupon", coupon, "status"), "Used")
		with self.assertRaises(PaymentNotAllowedError):
			start_payment(booking.name, WX)


class TestPaymentSecrets(FrappeTestCase):
	def test_keys_never_reach_responses_logs_or_records(self):  # security plan case 36
		from home_service.billing.gateways.base import GatewayError

		with fake_wechatpay() as fake:
			since = frappe.utils.now_datetime()
			booking = payable_booking()
			params = start_payment(booking.name, WX)
			fake.knobs.fail_next["query"] = 1
			with self.assertRaises(GatewayError):
				confirm_payment(booking.name)  # a provider failure is logged
			handle(
				WX,
				*fake.notification(
					"TRANSACTION.SUCCESS", fake.user_pays(params["out_trade_no"]), sign_with=new_keypair()
				),
			)
			pay_with_wechat(fake, payable_booking())
			texts = [json.dumps(params)]
			texts += frappe.get_all("Error Log", filters={"creation": (">=", since)}, pluck="error")
			texts += [
				json.dumps(row, default=str)
				for row in frappe.get_all(
					"HS Payment Notification", filters={"received_on": (">=", since)}, fields=["*"]
				)
			]
			texts += [
				json.dumps(row, default=str)
				for row in frappe.get_all("HS Payment", filters={"creation": (">=", since)}, fields=["*"])
			]
			texts.append(json.dumps(frappe.get_doc("HS Payment Settings").as_dict(), default=str))
			blob = "\n".join(texts)
			self.assertIn(
				"HS WeChat Pay call failed",
				"\n".join(frappe.get_all("Error Log", filters={"creation": (">=", since)}, pluck="method")),
			)
			for secret in (fake.apiv3_key, fake.merchant_keys.private_base64[100:160]):
				self.assertNotIn(secret, blob)
