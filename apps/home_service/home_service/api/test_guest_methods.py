# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The methods anyone may call without logging in are exactly these, and each is rate-limited per
client (security plan case 5 and static check 2). A new guest method fails this test until it is
added here on purpose, with its limit."""

import importlib
import pkgutil
import random
from unittest.mock import patch

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.tests.utils import FrappeTestCase

import home_service
from home_service.api.registry import is_rate_limited
from home_service.tests.factories import uid

GUEST_METHODS = {
	"home_service.api.auth.wechat_login": {"code": ""},
	"home_service.api.auth.alipay_login": {"auth_code": ""},
	"home_service.api.auth.sms_send_code": {"phone": ""},
	"home_service.api.auth.sms_login": {"phone": "", "code": ""},
	"home_service.api.public.categories": {},
	"home_service.api.public.category_items": {"category": ""},
	"home_service.api.public.item_detail": {"item": ""},
	"home_service.api.public.search": {"q": ""},
	"home_service.api.openapi.spec": {},
	# a development site's WeChat Pay H5 cashier (404 everywhere else): a guest page, as WeChat's is
	"home_service.api.dev_cashier.wechatpay": {"prepay_id": ""},
}
# Payment webhooks: each request is authenticated by the provider's signature over the raw body and
# the body size is capped (api/errors.py); the providers retry until answered, and a per-IP limit on
# their few sending addresses would only delay genuine payments.
SIGNED_WEBHOOKS = {"home_service.api.notify.wechatpay", "home_service.api.notify.alipay"}
LIMIT_KEYS = ("hs_public_rate_limit", "hs_login_rate_limit", "hs_sms_ip_rate_limit")


def import_app() -> None:
	"""Import every module of the app (tests aside), so that every whitelisted method is known."""
	for info in pkgutil.walk_packages(home_service.__path__, "home_service."):
		leaf = info.name.rsplit(".", 1)[-1]
		if leaf.startswith("test_") or ".tests" in info.name:
			continue
		importlib.import_module(info.name)


def guest_methods() -> dict:
	import_app()
	return {
		f"{fn.__module__}.{fn.__name__}": fn
		for fn in frappe.guest_methods
		if fn.__module__.startswith("home_service.")
	}


class TestGuestMethods(FrappeTestCase):
	def test_the_guest_methods_are_exactly_the_approved_ones(self):
		self.assertEqual(set(guest_methods()), set(GUEST_METHODS) | SIGNED_WEBHOOKS)

	def test_every_guest_method_but_the_signed_webhooks_is_rate_limited(self):
		methods = guest_methods()
		self.assertEqual({path for path in GUEST_METHODS if not is_rate_limited(methods[path])}, set())
		self.assertFalse(is_rate_limited(lambda: None))

	def test_each_limit_refuses_the_call_after_the_limit(self):
		"""Limit 1 a minute: the second call from one client is refused before the method runs
		(the first may fail on its empty arguments, which still counts)."""
		methods = guest_methods()
		frappe.local.request = Request(EnvironBuilder(path="/api/method/x", method="POST").get_environ())
		frappe.local.request_ip = f"198.51.100.{random.randint(1, 254)}"
		try:
			with patch.dict(frappe.local.conf, dict.fromkeys(LIMIT_KEYS, 1)):
				for path, args in GUEST_METHODS.items():
					with self.subTest(path):
						frappe.local.form_dict = frappe._dict(cmd=f"{path}:{uid()}")  # a fresh counter
						try:
							methods[path](**args)
						except frappe.ValidationError:
							pass
						self.assertRaises(frappe.RateLimitExceededError, methods[path], **args)
		finally:
			del frappe.local.request
			frappe.local.form_dict = frappe._dict()
			frappe.local.response.pop("filecontent", None)
