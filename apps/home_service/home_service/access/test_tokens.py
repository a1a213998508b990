import hashlib
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from home_service.access.tokens import (
	HEADER,
	_hash,
	authenticate_request,
	issue_token,
	revoke,
	token_client,
	user_for_token,
)
from home_service.tests.factories import make_user


class TestAccessTokens(FrappeTestCase):
	def setUp(self):
		self.user = make_user(user_type="Website User")

	def row(self, token: str):
		return frappe.db.get_value(
			"HS Access Token", {"token_hash": hashlib.sha256(token.encode()).hexdigest()}, "*", as_dict=True
		)

	def test_only_a_hash_is_stored(self):
		issued = issue_token(self.user, "H5")
		token = issued["token"]
		self.assertEqual(issued["header"], HEADER)
		self.assertTrue(token.startswith("hs_") and len(token) > 40)
		row = self.row(token)
		self.assertEqual(row.user, self.user)
		self.assertEqual(row.token_hint, token[-4:])
		for value in row.values():
			self.assertNotIn(token, str(value))
		dump = frappe.as_json(frappe.db.sql("select * from `tabHS Access Token` where user=%s", self.user))
		self.assertNotIn(token, dump)

	def test_tokens_are_unique_per_login(self):
		self.assertNotEqual(issue_token(self.user, "H5")["token"], issue_token(self.user, "H5")["token"])

	def test_valid_token_identifies_its_user(self):
		self.assertEqual(user_for_token(issue_token(self.user, "H5")["token"]), self.user)

	def test_unknown_token_is_refused(self):
		self.assertRaises(frappe.AuthenticationError, user_for_token, "hs_" + "x" * 43)

	def test_expired_token_is_refused(self):
		token = issue_token(self.user, "H5")["token"]
		row = self.row(token)
		frappe.db.set_value(
			"HS Access Token", row.name, "expires_on", add_to_date(now_datetime(), seconds=-1)
		)
		frappe.cache.delete_value(f"hs_token:{row.token_hash}")
		self.assertRaises(frappe.AuthenticationError, user_for_token, token)

	def test_expiry_follows_settings(self):
		frappe.db.set_single_value("HS Settings", "token_ttl_days", 7)
		expires_on = frappe.utils.get_datetime(issue_token(self.user, "H5")["expires_on"])
		self.assertAlmostEqual((expires_on - now_datetime()).total_seconds(), 7 * 86400, delta=60)

	def test_revoked_token_is_refused_at_once_even_when_cached(self):
		token = issue_token(self.user, "H5")["token"]
		other = issue_token(self.user, "H5")["token"]
		self.assertEqual(user_for_token(token), self.user)  # now cached
		self.assertEqual(revoke({"token_hash": self.row(token).token_hash}), 1)
		self.assertRaises(frappe.AuthenticationError, user_for_token, token)
		self.assertEqual(user_for_token(other), self.user)
		self.assertEqual(revoke({"user": self.user}), 1)
		self.assertRaises(frappe.AuthenticationError, user_for_token, other)

	def test_disabled_user_is_refused(self):
		token = issue_token(self.user, "H5")["token"]
		frappe.db.set_value("User", self.user, "enabled", 0)
		self.assertRaises(frappe.AuthenticationError, user_for_token, token)

	def test_token_client_is_the_client_the_token_was_issued_to(self):
		alipay = issue_token(self.user, "Alipay Mini Program")["token"]
		wechat = issue_token(self.user, "WeChat Mini Program")["token"]
		self.addCleanup(forget_request_token)
		self.addCleanup(frappe.set_user, frappe.session.user)
		with patch("frappe.get_request_header", return_value=alipay):
			authenticate_request()  # remembers the client it read with the token (no second query)
		self.assertEqual(token_client(), "Alipay Mini Program")
		# another token in the same request context is not answered from what was remembered
		frappe.local.hs_token_hash = _hash(wechat)
		self.assertEqual(token_client(), "WeChat Mini Program")
		del frappe.local.hs_token_hash
		self.assertIsNone(token_client())


def forget_request_token():
	for name in ("hs_token_hash", "hs_token_client"):
		if hasattr(frappe.local, name):
			delattr(frappe.local, name)
