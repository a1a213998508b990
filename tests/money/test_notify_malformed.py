"""Payment webhooks with bodies no provider would send (issue 14, point 3): a body that is not JSON
(signed or not), a JSON scalar, a signed envelope whose resource is not base64, has an empty nonce or
decrypts to the wrong shape; for Alipay a body that is not a form, a bad signature, absurd signed
fields. Each is answered in the provider's failure shape (never a 5xx), logged as one HS Payment
Notification, and changes nothing else."""

import json
import secrets

import pytest
from fakes import AlipayFake, new_keypair
from fakes.site import SITE, hs_settings, site_config
from hs_client import worker_idle
from mini_program import post_webhook
from site_counts import counts

LOG = "tabHS Payment Notification"
# the money a notification could move. Booking events and Error Log rows are left out: the worker may
# meanwhile finish earlier suites' jobs (dispatch rounds, notification logs), which write them; a
# notification that changed a booking would also have changed one of these
WATCHED = (
	LOG,
	"tabHS Payment",
	"tabHS Refund",
	"tabHS Ledger Entry",
	"tabHS Withdrawal",
	"tabHS Recycling Pickup",
	"tabHS Customer Coupon",
	"tabHS Points Entry",
)


@pytest.fixture(scope="module", autouse=True)
def earlier_jobs_done():
	"""Let earlier suites' jobs (payment closes, dispatch) finish first, once (at most a minute)."""
	worker_idle(60, required=False)


def money_counts() -> dict:
	return {table: n for table, n in counts(SITE).items() if table in WATCHED}


def changed(before: dict, after: dict) -> dict:
	return {t: after[t] - before[t] for t in after if after[t] != before.get(t)}


def last_log(admin) -> dict:
	response = admin.get(
		"/api/resource/HS Payment Notification",
		fields=json.dumps(["gateway", "outcome", "reason"]),
		order_by="creation desc",
		limit_page_length=1,
	)
	assert response.status_code == 200, response.text
	return response.json()["data"][0]


def rejected_once(admin, case: str, gateway: str, reason: str, before: dict) -> None:
	"""Nothing but one log row changed, and that row says what was wrong."""
	assert changed(before, money_counts()) == {LOG: 1}, case
	assert last_log(admin) == {"gateway": gateway, "outcome": "Rejected", "reason": reason}, case


def wechat_cases(pay) -> list[tuple[str, dict, bytes, str]]:
	"""(case, headers, body, the reason logged) for WeChat Pay."""
	unsigned = {"Content-Type": "application/json"}
	resource = {"out_trade_no": "HS-NONE", "trade_state": "SUCCESS", "amount": {"total": 1}}
	cases = [
		("unsigned, not JSON", unsigned, b"{not json", "missing signature headers"),
		("unsigned, not UTF-8", unsigned, b"\xff\xfe{", "missing signature headers"),
		("unsigned, a JSON number", unsigned, b"42", "missing signature headers"),
		("signed, not JSON", pay.signed_headers("{not json"), b"{not json", "malformed envelope"),
		("signed, a JSON string", pay.signed_headers('"x"'), b'"x"', "malformed envelope"),
	]
	envelope = json.dumps({"id": "N1", "event_type": "TRANSACTION.SUCCESS", "resource": "x"})
	cases.append(
		(
			"signed, resource not an object",
			pay.signed_headers(envelope),
			envelope.encode(),
			"malformed envelope",
		)
	)
	for name, fields in (
		("ciphertext not base64", {"ciphertext": "%%% not base64 %%%"}),
		("empty nonce", {"nonce": ""}),
		("nonce not text", {"nonce": {"a": 1}}),
	):
		headers, body = pay.notification("TRANSACTION.SUCCESS", resource, resource_fields=fields)
		cases.append((f"signed, {name}", headers, body, "resource does not decrypt"))
	for name, plain in (("resource a list", [resource]), ("amount as text", {**resource, "amount": "1.00"})):
		headers, body = pay.notification("TRANSACTION.SUCCESS", plain)
		cases.append((f"signed, {name}", headers, body, "malformed resource"))
	return cases


def test_wechatpay_rejects_malformed_bodies_in_its_own_shape_and_logs_each(world, admin):
	for case, headers, body, reason in wechat_cases(world.pay):
		before = money_counts()
		answer = world.notify(headers, body)
		assert answer.status_code == 400, (case, answer.status_code, answer.text[:300])
		assert answer.json()["code"] == "FAIL" and answer.json()["message"], (case, answer.text)
		rejected_once(admin, case, "WeChat Pay", reason, before)


@pytest.fixture(scope="module")
def alipay(admin):
	fake = AlipayFake()
	with fake, site_config(hs_alipay_gateway=fake.gateway):
		keys = {
			"alipay_appid": fake.appid,
			"alipay_private_key": fake.app_keys.private_pem,
			"alipay_public_key": fake.alipay_keys.public_base64,
		}
		with hs_settings(admin, **keys):
			with hs_settings(admin, "HS Payment Settings", alipay_enabled=1, alipay_seller_id=fake.seller_id):
				yield fake


def alipay_form(fake, sign_with=None, **fields) -> bytes:
	base = {
		"notify_time": "2026-01-01 10:00:00",
		"notify_type": "trade_status_sync",
		"notify_id": secrets.token_hex(16),
		"app_id": fake.appid,
		"charset": "utf-8",
		"version": "1.0",
		"sign_type": "RSA2",
		"out_trade_no": "HS-NONE-" + secrets.token_hex(4),
		"trade_status": "TRADE_SUCCESS",
		"seller_id": fake.seller_id,
	}
	return fake.sign_form({**base, **fields}, sign_with=sign_with)


def test_alipay_rejects_malformed_bodies_with_failure_and_logs_each(alipay, admin):
	form = {"Content-Type": "application/x-www-form-urlencoded"}
	cases = [
		("a JSON content type, not JSON", {"Content-Type": "application/json"}, b"{x", "body is not a form"),
		("not a form", form, b"\xff\xfe==&&", "body is not a form"),
		(
			"unsigned",
			form,
			b"out_trade_no=HS-1&trade_status=TRADE_SUCCESS",
			"missing or unsupported signature",
		),
		(
			"signed by someone else",
			form,
			alipay_form(alipay, sign_with=new_keypair()),
			"signature does not verify",
		),
		(
			"a signed form of another kind",
			form,
			alipay_form(alipay, notify_type="x"),
			"unexpected notification",
		),
	]
	for case, headers, body, reason in cases:
		before = money_counts()
		answer = post_webhook(headers, body, "alipay")
		assert (answer.status_code, answer.text) == (200, "failure"), (
			case,
			answer.status_code,
			answer.text[:300],
		)
		rejected_once(admin, case, "Alipay", reason, before)
	# signed, well-formed, absurd: an amount of a million digits, for a trade we never opened
	before = money_counts()
	answer = post_webhook(form, alipay_form(alipay, total_amount="1e999999"), "alipay")
	assert answer.status_code == 200 and answer.text in ("success", "failure"), answer.text[:300]
	assert changed(before, money_counts()) == {LOG: 1}
	assert last_log(admin)["outcome"] in ("Review", "Ignored", "Rejected")
