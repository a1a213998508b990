"""The login endpoints called in-process, with providers faked (HTTP behaviour: tests/security)."""

import random

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.access import otp
from home_service.access.accounts import USER_DOMAIN, AccountUnavailableError
from home_service.access.tokens import user_for_token
from home_service.api import auth
from home_service.tests.factories import make_customer, make_technician, mobile
from home_service.tests.providers import fake_alipay, fake_sms, fake_wechat


class LoginTestCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Guest")
		self.addCleanup(frappe.set_user, "Administrator")

	def assertLoginReply(self, reply: dict, kind: str = "customer"):
		self.assertEqual(set(reply), {"token", "expires_on", "header", kind})
		self.assertEqual(reply["header"], "X-HS-Token")
		return user_for_token(reply["token"])

	def sms_login(self, fake, phone: str, **kwargs) -> dict:
		auth.sms_send_code(phone=phone)
		return auth.sms_login(phone=phone, code=fake.last_code(phone), **kwargs)


class TestWeChatLogin(LoginTestCase):
	def test_first_login_creates_the_customer_and_a_website_user(self):
		with fake_wechat() as fake:
			reply = auth.wechat_login(code=fake.login_code(openid="o-first", unionid="u-first"))
			user = self.assertLoginReply(reply)
			customer = frappe.get_doc("HS Customer", reply["customer"])
			self.assertEqual((customer.wechat_openid, customer.wechat_unionid), ("o-first", "u-first"))
			self.assertEqual(customer.acquisition_channel, "WeChat Mini Program")
			self.assertEqual(customer.user, user)
			self.assertTrue(user.endswith("@" + USER_DOMAIN))
			self.assertEqual(frappe.db.get_value("User", user, "user_type"), "Website User")
			self.assertIn("HS Customer", frappe.get_roles(user))
			self.assertNotIn(fake.session_keys[-1], frappe.as_json(reply))

			again = auth.wechat_login(code=fake.login_code(openid="o-first"))
			self.assertEqual(again["customer"], reply["customer"])
			self.assertNotEqual(again["token"], reply["token"])

	def test_bad_code_is_401(self):
		with fake_wechat():
			with self.assertRaises(frappe.AuthenticationError):
				auth.wechat_login(code="not-from-wx-login")

	def test_bind_phone(self):
		with fake_wechat() as fake:
			reply = auth.wechat_login(code=fake.login_code())
			frappe.set_user(user_for_token(reply["token"]))
			phone = mobile("135")
			bound = auth.wechat_bind_phone(code=fake.phone_code(phone))
			self.assertEqual(
				bound, {"customer": reply["customer"], "mobile_no": f"{phone[:3]}****{phone[-4:]}"}
			)
			self.assertEqual(frappe.db.get_value("HS Customer", reply["customer"], "mobile_no"), phone)

	def test_bind_phone_of_another_customer_is_409(self):
		taken = mobile("136")
		make_customer(mobile_no=taken)
		with fake_wechat() as fake:
			reply = auth.wechat_login(code=fake.login_code())
			frappe.set_user(user_for_token(reply["token"]))
			with self.assertRaises(auth.PhoneTakenError) as caught:
				auth.wechat_bind_phone(code=fake.phone_code(taken))
			self.assertEqual(caught.exception.http_status_code, 409)
			self.assertFalse(frappe.db.get_value("HS Customer", reply["customer"], "mobile_no"))

	def test_bind_phone_needs_a_customer(self):
		self.assertRaises(frappe.AuthenticationError, auth.wechat_bind_phone, code="x")


class TestAlipayLogin(LoginTestCase):
	def test_first_login_creates_the_customer(self):
		with fake_alipay() as fake:
			reply = auth.alipay_login(auth_code=fake.auth_code(user_id="2088000000000777"))
			user = self.assertLoginReply(reply)
			customer = frappe.get_doc("HS Customer", reply["customer"])
			self.assertEqual(customer.alipay_user_id, "2088000000000777")
			self.assertEqual(customer.acquisition_channel, "Alipay Mini Program")
			self.assertIn("HS Customer", frappe.get_roles(user))
			again = auth.alipay_login(auth_code=fake.auth_code(user_id="2088000000000777"))
			self.assertEqual(again["customer"], reply["customer"])


class TestSmsLogin(LoginTestCase):
	def test_new_number_becomes_a_customer(self):
		phone = mobile("137")
		with fake_sms() as fake:
			reply = self.sms_login(fake, phone)
		self.assertLoginReply(reply)
		self.assertEqual(frappe.db.get_value("HS Customer", reply["customer"], "mobile_no"), phone)

	def test_new_customer_speaks_the_language_the_client_sent(self):
		site_default = frappe.db.get_single_value("System Settings", "language")
		cases = (("zh-CN,zh;q=0.9", "zh"), ("en-US", "en-US"), ("xx-YY", site_default), (None, site_default))
		try:
			for header, kept in cases:
				headers = {"Accept-Language": header} if header else {}
				environ = EnvironBuilder(path="/api/method/x", method="POST", headers=headers).get_environ()
				frappe.local.request = Request(environ)
				# a client of its own: the per-IP limits of a request count this one apart
				frappe.local.request_ip = f"198.51.100.{random.randint(1, 254)}"
				with fake_sms() as fake:
					reply = self.sms_login(fake, mobile("136"))
				user = frappe.db.get_value("HS Customer", reply["customer"], "user")
				self.assertEqual(frappe.db.get_value("User", user, "language"), kept, header)
		finally:
			del frappe.local.request
			frappe.local.request_ip = None

	def test_known_customer_without_user_gets_one(self):
		phone = mobile("138")
		customer = make_customer(mobile_no=phone)
		with fake_sms("Tencent") as fake:
			reply = self.sms_login(fake, phone)
		self.assertEqual(reply["customer"], customer)
		self.assertIn("HS Customer", frappe.get_roles(self.assertLoginReply(reply)))

	def test_blacklisted_customer_cannot_log_in(self):
		phone = mobile("138")
		make_customer(mobile_no=phone, status="Blacklisted")
		with fake_sms() as fake:
			self.assertRaises(AccountUnavailableError, self.sms_login, fake, phone)

	def test_technician_logs_in_as_technician(self):
		phone = mobile("139")
		technician = make_technician(mobile_no=phone)
		with fake_sms() as fake:
			reply = self.sms_login(fake, phone, as_technician=True)
		user = self.assertLoginReply(reply, "technician")
		self.assertEqual(reply["technician"], technician)
		self.assertEqual(frappe.db.get_value("HS Technician", technician, "user"), user)
		self.assertIn("HS Technician", frappe.get_roles(user))

	def test_unknown_technician_gets_the_wrong_code_answer(self):
		phone = mobile("139")
		with fake_sms() as fake:
			auth.sms_send_code(phone=phone)
			with self.assertRaises(otp.InvalidCodeError) as no_technician:
				auth.sms_login(phone=phone, code=fake.last_code(phone), as_technician=True)
			with self.assertRaises(otp.InvalidCodeError) as wrong_code:
				auth.sms_login(phone=phone, code="000000", as_technician=True)
		self.assertEqual(str(no_technician.exception), str(wrong_code.exception))
		self.assertFalse(frappe.db.exists("HS Customer", {"mobile_no": phone}))


class TestIdentity(LoginTestCase):
	def test_me_and_logout(self):
		phone = mobile("137")
		with fake_sms() as fake:
			reply = self.sms_login(fake, phone)
		user = user_for_token(reply["token"])
		frappe.set_user(user)
		me = auth.me()
		self.assertEqual((me["user"], me["customer"], me["technician"]), (user, reply["customer"], None))
		self.assertEqual(me["roles"], ["HS Customer"])

		frappe.local.hs_token_hash = frappe.db.get_value("HS Access Token", {"user": user}, "token_hash")
		self.addCleanup(delattr, frappe.local, "hs_token_hash")
		self.assertEqual(auth.logout(), {"logged_out": True})
		self.assertRaises(frappe.AuthenticationError, user_for_token, reply["token"])

	def test_me_needs_a_login(self):
		self.assertRaises(frappe.AuthenticationError, auth.me)
