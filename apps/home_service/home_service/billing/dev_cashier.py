"""WeChat Pay in development: the site plays the provider for itself, so a phone browser on /m can pay.

A development site has no merchant account, and WeChat's H5 cashier cannot reach it. `enable()` (run
by bench-config/site.sh for the operator's site) gives the site a sandbox merchant: made-up keys in HS
Payment Settings, the sandbox provider's own signing key in site config `hs_dev_cashier`. While both
are there and match, the WeChat Pay gateway talks to the WeChat Pay fake (integrations/fakes) running
in this process on 127.0.0.1, with its orders kept in Redis so every web and worker process of the
site sees one provider. The app's own code runs unchanged: the gateway signs its calls and verifies
the fake's signed answers, and the payment arrives as a signed, encrypted notification posted to the
notify endpoint.

An H5 order's `h5_url` is the development cashier on the site (api/dev_cashier.py): the amount and a
pay button; paying there marks the order paid at the fake, which posts its notification to the site
like WeChat Pay does, then sends the browser back to the booking at /m.

Never in production: without the site config key, or once HS Payment Settings hold other (real)
credentials, the gateway calls the real WeChat Pay and the cashier answers 404.
"""

import json
import os
import threading
from collections.abc import MutableMapping

import redis
from cryptography.hazmat.primitives import serialization

import frappe
from frappe import _

from home_service.integrations.fakes import KeyPair, WeChatPayFake
from home_service.integrations.fakes.wechatpay import Identity

CONF_KEY = "hs_dev_cashier"
CASHIER_PATH = "/api/method/home_service.api.dev_cashier.wechatpay"
KEEP_SECONDS = 30 * 24 * 3600  # the sandbox forgets orders a month after their last change


class CashierOff(frappe.ValidationError):
	"""404, not 403: the API answers a guest's 403 as "please log in", and here there is no page at all."""

	http_status_code = 404


def enable(appid: str | None = None) -> dict:
	"""Give this site a sandbox WeChat Pay merchant (development only): keys in HS Payment Settings,
	the provider's key in site config. Run again, it keeps the identity it made."""
	if active():
		return {"enabled": True, "mchid": frappe.get_cached_doc("HS Payment Settings").wechatpay_mchid}
	me = Identity.new(appid or frappe.db.get_single_value("HS Settings", "wechat_appid"))
	settings = frappe.get_doc("HS Payment Settings")
	settings.update(
		{
			"wechatpay_enabled": 1,
			"wechatpay_appid": me.appid,
			"wechatpay_mchid": me.mchid,
			"wechatpay_serial_no": me.merchant_serial,
			"wechatpay_private_key": me.merchant_keys.private_pem,
			"wechatpay_apiv3_key": me.apiv3_key,
			"wechatpay_public_key_id": me.public_key_id,
			"wechatpay_public_key": me.platform_keys.public_pem,
		}
	)
	settings.save(ignore_permissions=True)  # `bench execute` commits
	from frappe.installer import update_site_config

	update_site_config(CONF_KEY, {"platform_private_key": me.platform_keys.private_pem})
	frappe.local.conf[CONF_KEY] = {"platform_private_key": me.platform_keys.private_pem}
	return {"enabled": True, "mchid": me.mchid}


def active() -> bool:
	"""The sandbox is on: its provider key is in site config and its merchant in HS Payment Settings."""
	return identity() is not None


def require_active() -> None:
	if not active():
		frappe.throw(
			_(
				"The development cashier is off: it runs only on a development site whose WeChat Pay "
				"settings are the sandbox's (bench --site SITE execute home_service.billing.dev_cashier.enable)."
			),
			CashierOff,
		)


def identity() -> Identity | None:
	"""The sandbox's identity, when site config and HS Payment Settings agree on it."""
	conf = frappe.conf.get(CONF_KEY)
	private_pem = conf.get("platform_private_key") if isinstance(conf, dict) else None
	if not private_pem:
		return None
	settings = frappe.get_cached_doc("HS Payment Settings")
	platform = KeyPair(private_pem, _public_pem(private_pem))
	if not settings.wechatpay_public_key or _normal(settings.wechatpay_public_key) != _normal(
		platform.public_pem
	):
		return None  # real credentials were entered: the sandbox must not sign for them
	merchant_private = settings.get_password("wechatpay_private_key", raise_exception=False)
	if not merchant_private:
		return None
	return Identity(
		appid=settings.wechatpay_appid,
		mchid=settings.wechatpay_mchid,
		merchant_keys=KeyPair("", _public_pem(merchant_private)),
		merchant_serial=settings.wechatpay_serial_no,
		platform_keys=platform,
		public_key_id=settings.wechatpay_public_key_id,
		apiv3_key=settings.get_password("wechatpay_apiv3_key", raise_exception=False),
	)


def wechatpay_base() -> str | None:
	"""Where the WeChat Pay gateway should call: the sandbox fake of this process, when it is on."""
	fake = provider()
	return fake.url if fake else None


_fakes: dict[tuple, WeChatPayFake] = {}
_fakes_lock = threading.Lock()


def provider() -> WeChatPayFake | None:
	"""This process's sandbox fake (a forked worker starts its own), or None when the sandbox is off."""
	me = identity()
	if me is None:
		return None
	key = (os.getpid(), frappe.local.site, me.public_key_id, me.mchid)
	with _fakes_lock:
		fake = _fakes.get(key)
		if fake is None:
			for old in [k for k in _fakes if k[:2] == key[:2]]:  # a new sandbox identity replaces the old
				stale = _fakes.pop(old)
				threading.Thread(target=stale.stop, daemon=True).start()  # shutdown() waits a moment
			fake = SandboxWeChatPay(frappe.local.site, me).start()
			_fakes[key] = fake
	return fake


class SandboxWeChatPay(WeChatPayFake):
	"""The WeChat Pay fake with its orders, refunds and transfers in Redis (one provider per site)."""

	cashier_url = CASHIER_PATH  # a path on the site the browser is on: no host to guess

	def __init__(self, site: str, me: Identity):
		super().__init__(identity=me)
		prefix = f"hs_dev_cashier|{site}|{me.mchid}|"
		self.orders = Records(prefix + "orders")
		self.refunds = Records(prefix + "refunds")
		self.bills = Records(prefix + "bills")

	def _dispatch(self, request):
		try:
			return super()._dispatch(request)
		finally:
			self.flush()

	def user_pays(self, out_trade_no: str) -> dict:
		try:
			return super().user_pays(out_trade_no)
		finally:
			self.flush()

	def flush(self) -> None:
		with self._lock:
			for records in (self.orders, self.refunds, self.bills):
				records.flush()


class Records(MutableMapping):
	"""A table of the fake in a Redis hash. Rows read are kept until `flush`, which writes them back:
	the fake changes its rows in place (order["trade_state"] = ...), as it does in memory."""

	def __init__(self, name: str):
		self.name = name
		self._rows: dict[str, dict] = {}

	def _redis(self) -> redis.Redis:
		return frappe.cache  # the site's Redis; raw commands, as this runs outside any request

	def __getitem__(self, key: str) -> dict:
		if key not in self._rows:
			raw = redis.Redis.hget(self._redis(), self.name, key)
			if raw is None:
				raise KeyError(key)
			self._rows[key] = json.loads(raw)
		return self._rows[key]

	def __setitem__(self, key: str, row: dict) -> None:
		self._rows[key] = row

	def __delitem__(self, key: str) -> None:
		self._rows.pop(key, None)
		redis.Redis.hdel(self._redis(), self.name, key)

	def __iter__(self):
		keys = {k.decode() for k in redis.Redis.hkeys(self._redis(), self.name)}
		return iter(keys | set(self._rows))

	def __len__(self) -> int:
		return len(set(self))

	def flush(self) -> None:
		if not self._rows:
			return
		connection = self._redis()
		redis.Redis.hset(
			connection,
			self.name,
			mapping={k: json.dumps(v, ensure_ascii=False) for k, v in self._rows.items()},
		)
		redis.Redis.expire(connection, self.name, KEEP_SECONDS)
		self._rows.clear()


def _public_pem(private_pem: str) -> str:
	key = serialization.load_pem_private_key(private_pem.encode(), password=None)
	return (
		key.public_key()
		.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
		.decode()
	)


def _normal(pem: str) -> str:
	return "".join(pem.split())
