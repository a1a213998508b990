"""The outbound clients against local fakes that check signatures and credentials like the providers."""

import frappe
from frappe.tests.utils import FrappeTestCase, change_settings

from home_service.integrations.alipay import AlipayClient
from home_service.integrations.base import InvalidLoginCodeError, LoginBlockedError, ProviderError
from home_service.integrations.fakes import new_keypair
from home_service.integrations.sms import SmsError, get_provider
from home_service.integrations.sms.aliyun import rpc_signature
from home_service.integrations.sms.tencent import tc3_signature
from home_service.integrations.wechat import WeChatMiniProgram
from home_service.tests.providers import fake_alipay, fake_sms, fake_wechat

PHONE = "13912345678"


class TestSmsProviders(FrappeTestCase):
	def check_provider(self, name: str):
		with fake_sms(name) as fake:
			get_provider().send(PHONE, "TPL_1", {"code": "123456"})
			self.assertEqual(fake.signature_failures, 0)
			self.assertEqual(fake.last_code(PHONE), "123456")
			self.assertEqual(fake.messages_to(PHONE)[0]["sign_name"], "上门服务")
			self.assertEqual(fake.messages_to(PHONE)[0]["template"], "TPL_1")

			fake.key_secret = "not-the-secret-we-hold"
			with self.assertRaises(ProviderError):
				get_provider().send(PHONE, "TPL_1", {"code": "654321"})
			self.assertEqual(fake.signature_failures, 1)
			self.assertEqual(len(fake.messages_to(PHONE)), 1)

	def test_aliyun_rpc_signature_is_accepted_and_a_wrong_secret_is_not(self):
		self.check_provider("Aliyun")

	def test_tencent_tc3_signature_is_accepted_and_a_wrong_secret_is_not(self):
		self.check_provider("Tencent")

	def test_provider_refusal_carries_its_code(self):
		for name, refusal in (
			("Aliyun", "isv.BUSINESS_LIMIT_CONTROL"),
			("Tencent", "LimitExceeded.PhoneNumberDailyLimit"),
		):
			with fake_sms(name) as fake:
				fake.fail_code = refusal
				with self.assertRaises(SmsError) as caught:
					get_provider().send(PHONE, "TPL_1", {"code": "123456"})
				self.assertEqual(caught.exception.provider_code, refusal)

	def test_unreachable_provider_is_a_provider_error(self):
		with fake_sms("Aliyun") as fake:
			fake.down = True
			self.assertRaises(ProviderError, get_provider().send, PHONE, "TPL_1", {"code": "123456"})


class TestWeChat(FrappeTestCase):
	def test_code2session(self):
		with fake_wechat() as fake:
			code = fake.login_code(openid="o-test-1", unionid="u-test-1")
			client = WeChatMiniProgram()
			session = client.code2session(code)
			self.assertEqual((session.openid, session.unionid), ("o-test-1", "u-test-1"))
			self.assertEqual(session.session_key, fake.session_keys[-1])
			self.assertNotIn(session.session_key, repr(session))
			self.assertRaises(InvalidLoginCodeError, client.code2session, code)  # single use
			self.assertRaises(InvalidLoginCodeError, client.code2session, "made-up")

	def test_session_key_is_kept_encrypted(self):
		with fake_wechat() as fake:
			client = WeChatMiniProgram()
			session = client.code2session(fake.login_code())
			client.store_session_key(session)
			raw = frappe.cache.get(frappe.cache.make_key(f"hs_wx_session_key:{fake.appid}:{session.openid}"))
			self.assertNotIn(session.session_key.encode(), raw)
			self.assertEqual(client.session_key_for(session.openid), session.session_key)

	def test_wrong_secret_and_wechat_errors(self):
		with fake_wechat() as fake:
			client = WeChatMiniProgram()
			for errcode, error in (
				(45011, frappe.RateLimitExceededError),
				(40226, LoginBlockedError),
				(-1, ProviderError),
			):
				fake.next_errcode = errcode
				self.assertRaises(error, client.code2session, fake.login_code())
			wrong = WeChatMiniProgram(secret="not-the-app-secret")
			self.assertRaises(ProviderError, wrong.code2session, fake.login_code())

	def test_phone_number_with_a_cached_access_token(self):
		with fake_wechat() as fake:
			client = WeChatMiniProgram()
			client.access_token(refresh=True)
			issued = fake.tokens_issued
			self.assertEqual(client.phone_number(fake.phone_code("13800001111")).phone, "13800001111")
			self.assertEqual(client.phone_number(fake.phone_code("13800002222")).phone, "13800002222")
			self.assertEqual(fake.tokens_issued, issued)  # both calls used the cached token

			fake.revoke_access_tokens()  # WeChat invalidated it: fetch a new one once and retry
			self.assertEqual(client.phone_number(fake.phone_code("13800003333")).phone, "13800003333")
			self.assertEqual(fake.tokens_issued, issued + 1)
			self.assertRaises(InvalidLoginCodeError, client.phone_number, "made-up")

	def test_phone_number_for_another_app_is_refused(self):
		with fake_wechat() as fake:
			fake.watermark_appid = "wx-someone-else"
			self.assertRaises(ProviderError, WeChatMiniProgram().phone_number, fake.phone_code("13800001111"))

	def test_unreachable_wechat(self):
		with fake_wechat() as fake:
			fake.down = True
			self.assertRaises(ProviderError, WeChatMiniProgram().code2session, "any")


class TestAlipay(FrappeTestCase):
	def test_oauth_token_signed_both_ways(self):
		with fake_alipay() as fake:
			code = fake.auth_code(user_id="2088000000000001")
			self.assertEqual(AlipayClient().oauth_token(code).user_id, "2088000000000001")
			self.assertEqual(fake.rejected_signatures, 0)
			self.assertRaises(InvalidLoginCodeError, AlipayClient().oauth_token, code)  # single use

	def test_keys_in_the_consoles_bare_base64_form(self):
		with fake_alipay() as fake:
			with change_settings("HS Settings", alipay_private_key=fake.app_keys.private_base64):
				self.assertTrue(AlipayClient().oauth_token(fake.auth_code()).user_id)

	def test_request_signed_with_the_wrong_app_key_is_rejected_by_alipay(self):
		with fake_alipay() as fake:
			with change_settings("HS Settings", alipay_private_key=new_keypair().private_pem):
				self.assertRaises(ProviderError, AlipayClient().oauth_token, fake.auth_code())
			self.assertEqual(fake.rejected_signatures, 1)

	def test_forged_gateway_response_is_rejected(self):
		with fake_alipay() as fake:
			fake.sign_with = new_keypair()
			self.assertRaises(ProviderError, AlipayClient().oauth_token, fake.auth_code())


class TestNotConfigured(FrappeTestCase):
	def test_the_error_log_names_the_settings_an_unconfigured_login_needs(self):
		"""The mini-program only gets a 502 (README, "Login and providers"); the operator must learn why."""
		cases = (
			(WeChatMiniProgram, {"wechat_appid": ""}, "HS WeChat call failed", "WeChat Mini Program AppID"),
			(AlipayClient, {"alipay_appid": ""}, "HS Alipay call failed", "Alipay App ID"),
		)
		for client, empty, title, setting in cases:
			with self.subTest(client.__name__), change_settings("HS Settings", empty):
				logged = {"method": title, "error": ["like", f"%{setting}%"]}
				before = frappe.db.count("Error Log", logged)
				self.assertRaises(ProviderError, client)
				self.assertEqual(frappe.db.count("Error Log", logged), before + 1)


class TestDocumentedSignatures(FrappeTestCase):
	"""The worked examples in the providers' signature documentation."""

	def test_aliyun_rpc_signature_example(self):
		params = {
			"Timestamp": "2016-02-23T12:46:24Z",
			"Format": "XML",
			"AccessKeyId": "testid",
			"Action": "DescribeRegions",
			"SignatureMethod": "HMAC-SHA1",
			"SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
			"Version": "2014-05-26",
			"SignatureVersion": "1.0",
		}
		self.assertEqual(rpc_signature(params, "testsecret", "GET"), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=")

	def test_tencent_tc3_signature_example(self):
		payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
		headers = {"content-type": "application/json; charset=utf-8", "host": "cvm.tencentcloudapi.com"}
		signed, scope, signature = tc3_signature(
			"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", headers, payload, 1551113065, service="cvm"
		)
		self.assertEqual((signed, scope), ("content-type;host", "2019-02-25/cvm/tc3_request"))
		self.assertEqual(signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")
