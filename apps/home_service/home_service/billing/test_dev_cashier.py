"""Paying in a phone browser (H5): WeChat Pay H5 and Alipay wap orders, and the development sandbox
whose cashier pays them against the WeChat Pay fake on a development site (billing/dev_cashier.py)."""

import json
from contextlib import ExitStack
from urllib.parse import parse_qsl, quote, urlsplit

import redis

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing import dev_cashier
from home_service.billing.gateways import get_gateway
from home_service.billing.gateways.alipay import yuan
from home_service.billing.gateways.fakes import settings_changed, site_conf
from home_service.billing.notifications import handle
from home_service.billing.payments import H5Checkout, start_payment
from home_service.booking.lifecycle import Status
from home_service.integrations.fakes import WeChatPayIdentity
from home_service.tests.billing_fixtures import ledger_rows, payable_booking
from home_service.tests.providers import fake_alipay_pay, fake_wechatpay

WX = "WeChat Pay"
RETURN = "http://home.localhost:8000/m#/pages/orders/detail?booking=HS-BK-1"


def h5() -> H5Checkout:
	return H5Checkout(return_url=RETURN, client_ip="203.0.113.7")


class TestH5Payments(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("h5_test")

	def tearDown(self):
		frappe.db.rollback(save_point="h5_test")

	def test_wechat_h5_order_sends_the_browser_to_the_cashier_and_back(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, WX, h5())
			self.assertEqual(start_payment(booking.name, WX, h5()), params)  # double tap: one order
			self.assertEqual(fake.counts["orders"], 1)
			url = urlsplit(params["h5_url"])
			self.assertEqual(f"{url.scheme}://{url.netloc}{url.path}", fake.cashier_url)
			query = dict(parse_qsl(url.query))
			self.assertEqual(query["redirect_url"], RETURN)
			order = fake.orders[params["out_trade_no"]]
			self.assertEqual(order["prepay_id"], query["prepay_id"])
			self.assertEqual((order["trade_type"], order["payer"]), ("MWEB", {}))
			self.assertEqual(order["amount"]["total"], int(booking.grand_total * 100))
			scene = json.loads(next(r for r in fake.requests if r.path.endswith("/h5")).body)["scene_info"]
			self.assertEqual(scene, {"payer_client_ip": "203.0.113.7", "h5_info": {"type": "Wap"}})

	def test_switching_from_the_mini_program_to_h5_closes_the_first_order(self):
		with fake_wechatpay() as fake:
			booking = payable_booking()
			jsapi = start_payment(booking.name, WX)
			browser = start_payment(booking.name, WX, h5())
			self.assertNotEqual(browser["out_trade_no"], jsapi["out_trade_no"])
			self.assertEqual(fake.orders[jsapi["out_trade_no"]]["trade_state"], "CLOSED")
			self.assertEqual(frappe.db.get_value("HS Payment", jsapi["payment"], "status"), "Closed")
			# and back: the H5 order is closed in turn, one order stays payable
			again = start_payment(booking.name, WX)
			self.assertEqual(fake.orders[browser["out_trade_no"]]["trade_state"], "CLOSED")
			self.assertIn("paySign", again)

	def test_alipay_wap_url_is_signed_for_the_gateway(self):
		with fake_alipay_pay() as fake:
			booking = payable_booking()
			params = start_payment(booking.name, "Alipay", h5())
			url = urlsplit(params["h5_url"])
			self.assertEqual(f"{url.scheme}://{url.netloc}{url.path}", fake.gateway)
			request = dict(parse_qsl(url.query))
			self.assertIsNone(fake._check_request(request))  # the app's RSA2 signature verifies
			biz = json.loads(request["biz_content"])
			self.assertEqual(request["method"], "alipay.trade.wap.pay")
			self.assertEqual(request["return_url"], RETURN)
			self.assertTrue(request["notify_url"].endswith("/api/method/home_service.api.notify.alipay"))
			self.assertEqual(biz["product_code"], "QUICK_WAP_PAY")
			self.assertEqual(biz["out_trade_no"], params["out_trade_no"])
			self.assertEqual(biz["total_amount"], yuan(int(booking.grand_total * 100)))


class TestDevCashier(FrappeTestCase):
	"""The sandbox merchant: keys as `enable` writes them, rolled back after each test."""

	def setUp(self):
		frappe.db.savepoint("dev_cashier_test")
		self.me = WeChatPayIdentity.new()
		self.keys = []

	def tearDown(self):
		frappe.db.rollback(save_point="dev_cashier_test")
		for key in self.keys:
			redis.Redis.delete(frappe.cache, key)

	def sandbox(self):
		self.keys += [
			f"hs_dev_cashier|{frappe.local.site}|{self.me.mchid}|{t}" for t in ("orders", "refunds")
		]
		stack = ExitStack()
		stack.enter_context(
			site_conf(hs_dev_cashier={"platform_private_key": self.me.platform_keys.private_pem})
		)
		stack.enter_context(settings_changed("HS Payment Settings", notify_base_url="", **self.me.settings()))
		return stack

	def test_pay_at_the_cashier_posts_one_signed_notification(self):
		with self.sandbox():
			self.assertTrue(dev_cashier.active())
			fake = dev_cashier.provider()
			self.assertEqual(get_gateway(WX)._sdk._core._gate_way, fake.url)
			booking = payable_booking()
			params = start_payment(booking.name, WX, h5())
			self.assertEqual(start_payment(booking.name, WX, h5()), params)
			url = urlsplit(params["h5_url"])
			self.assertEqual(url.path, dev_cashier.CASHIER_PATH)  # on the site the browser is on
			self.assertIn(f"redirect_url={quote(RETURN, safe='')}", url.query)
			prepay = dict(parse_qsl(url.query))["prepay_id"]
			self.assertEqual(frappe.db.get_value("HS Payment", params["payment"], "prepay_ref"), prepay)
			# the order is in Redis: a fresh fake (another process of the site) knows it
			other = dev_cashier.SandboxWeChatPay(frappe.local.site, dev_cashier.identity())
			self.assertEqual(
				other.orders[params["out_trade_no"]]["amount"]["total"], int(booking.grand_total * 100)
			)
			# the tap, twice (a double tap or a reload): paid once, the ledger balanced
			for _tap in range(2):
				headers, body = fake.notification(
					"TRANSACTION.SUCCESS", fake.user_pays(params["out_trade_no"])
				)
				self.assertEqual(handle(WX, headers, body).status_code, 204)
			booking.reload()
			self.assertEqual((booking.status, booking.payment_status), (Status.PENDING_DISPATCH, "Paid"))
			rows = ledger_rows(booking.name)
			self.assertEqual((len(rows), sum(r.amount_fen for r in rows)), (2, 0))
			other._httpd.server_close()

	def test_off_without_its_key_and_once_real_credentials_are_entered(self):
		with site_conf(hs_dev_cashier=None):
			self.assertFalse(dev_cashier.active())
			with self.assertRaises(dev_cashier.CashierOff) as refused:
				dev_cashier.require_active()
			self.assertEqual(refused.exception.http_status_code, 404)
		real = WeChatPayIdentity.new()
		with site_conf(hs_dev_cashier={"platform_private_key": self.me.platform_keys.private_pem}):
			with settings_changed("HS Payment Settings", **real.settings()):
				self.assertFalse(dev_cashier.active())  # the sandbox never signs for another merchant
				self.assertIsNone(dev_cashier.wechatpay_base())
				self.assertNotIn("127.0.0.1", get_gateway(WX)._sdk._core._gate_way)
