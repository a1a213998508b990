"""Fixtures for the login suites; helpers in auth_helpers.py (kept out of this file so that no test
module needs `from conftest import ...`, which is ambiguous with the suite's root conftest)."""

import secrets

import pytest
from auth_helpers import Providers
from fakes import AlipayFake, AliyunSmsFake, WeChatFake
from fakes.site import hs_settings, site_config


@pytest.fixture(scope="module")
def providers(admin):
	"""WeChat, Alipay and Aliyun SMS fakes; the site points at them for this module only."""
	with WeChatFake() as wechat, AlipayFake() as alipay, AliyunSmsFake() as sms:
		config = {
			"hs_wechat_api_base": wechat.url,
			"hs_alipay_gateway": alipay.gateway,
			"hs_aliyun_sms_endpoint": sms.url,
			# every login creates a User; a site not yet migrated to our default would refuse the 61st
			"throttle_user_limit": 5000,
		}
		settings = {
			"wechat_appid": wechat.appid,
			"wechat_secret": wechat.secret,
			"alipay_appid": alipay.appid,
			"alipay_private_key": alipay.app_keys.private_pem,
			"alipay_public_key": alipay.alipay_keys.public_base64,
			"sms_provider": "Aliyun",
			"sms_sign_name": "上门服务",
			"sms_login_template": "SMS_" + secrets.token_hex(4),
			"sms_access_key_id": sms.key_id,
			"sms_access_key_secret": sms.key_secret,
		}
		with site_config(**config), hs_settings(admin, **settings):
			yield Providers(wechat, alipay, sms)
