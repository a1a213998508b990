"""The development cashier: where a WeChat Pay H5 order's `h5_url` leads on a development site.

GET shows the order (amount, what it is for) with a pay button; POST is the tap: the sandbox provider
(billing/dev_cashier.py) marks the order paid, posts its signed notification to the site's notify
endpoint as WeChat Pay does, and the browser goes back to `redirect_url` (the booking's page at /m).
A guest page, as WeChat's cashier is: the order is named by its prepay id, which only the customer's
own `pay` answer carries. Off (404, saying why) unless the site's sandbox is on; never in production.
"""

import html
from urllib.parse import urlsplit

import requests
from werkzeug.wrappers import Response

import frappe
from frappe import _

from home_service.access.accounts import client_language
from home_service.access.rate_limits import rate_limit
from home_service.api.public import RATE_WINDOW, public_limit
from home_service.billing import dev_cashier
from home_service.billing.gateways import WECHAT_PAY
from home_service.billing.gateways.settings import notify_url
from home_service.utils.money import money
from home_service.utils.text import InvalidInputError


class UnknownOrderError(frappe.DoesNotExistError):
	http_status_code = 404


@frappe.whitelist(allow_guest=True, methods=["GET", "POST"])
@rate_limit(limit=public_limit, seconds=RATE_WINDOW)
def wechatpay(prepay_id: str = "", redirect_url: str = "", package: str = ""):
	# a guest page in the browser's language (Frappe's own choice ignores it for method calls)
	frappe.local.lang = client_language() or frappe.local.lang
	dev_cashier.require_active()
	back = _same_site(redirect_url)
	payment = frappe.db.get_value(
		"HS Payment",
		{"prepay_ref": str(prepay_id), "gateway": WECHAT_PAY},
		["name", "booking", "out_trade_no", "amount", "amount_fen", "status"],
		as_dict=True,
	)
	if not prepay_id or not payment:
		frappe.throw(_("No such order at the development cashier."), UnknownOrderError)
	if frappe.request.method == "POST":
		return _pay(payment, back)
	return _page(payment, prepay_id, back)


def _pay(payment, back: str) -> Response:
	"""The payer taps pay: the provider takes the money and tells the merchant, then returns the payer."""
	fake = dev_cashier.provider()
	if payment.out_trade_no not in fake.orders:
		frappe.throw(_("No such order at the development cashier."), UnknownOrderError)
	if payment.status in ("Created", "Paid"):  # a second tap sends the same transaction again
		headers, body = fake.notification("TRANSACTION.SUCCESS", fake.user_pays(payment.out_trade_no))
		answer = _post_notification(headers, body)
		if answer.status_code != 204:
			frappe.throw(
				_("The site did not accept the payment notification ({0}).").format(answer.status_code)
			)
	return Response(status=303, headers={"Location": back})


def _post_notification(headers: dict, body: bytes) -> requests.Response:
	"""POST the webhook to the notify URL as WeChat Pay would. A `*.localhost` site name (RFC 6761:
	loopback) is reached on 127.0.0.1 with its name in the Host header, as the browser reached it."""
	url = urlsplit(notify_url("wechatpay"))
	host = url.hostname or ""
	target = url.geturl()
	if host == "localhost" or host.endswith(".localhost"):
		target = url._replace(netloc=f"127.0.0.1:{url.port or 80}").geturl()
		headers = {**headers, "Host": url.netloc}
	return requests.post(target, data=body, headers=headers, timeout=30)


def _same_site(redirect_url: str) -> str:
	"""Where to send the payer back: only a page of this site (never elsewhere: an open redirect)."""
	url = urlsplit(str(redirect_url))
	here = urlsplit(frappe.request.host_url)
	if (
		not redirect_url
		or (url.netloc and url.netloc != here.netloc)
		or url.scheme not in ("", "http", "https")
	):
		frappe.throw(_("redirect_url must be a page of this site."), InvalidInputError)
	return redirect_url


def _page(payment, prepay_id: str, back: str) -> Response:
	booking = frappe.db.get_value("HS Booking", payment.booking, ["name", "grand_total"], as_dict=True)
	paid = payment.status == "Paid"
	e = html.escape
	# translated outside the f-strings: extractors (bench's, tests/zh_catalogue.py) cannot read an
	# f-string's expressions, so a `_()` inside one would never be listed for translation
	text = {
		"paid": _("Paid"),
		"back": _("Back"),
		"pay": _("Pay"),
		"cancel": _("Cancel"),
		"title": _("Development cashier"),
		"note": _(
			"Development cashier: no money moves. WeChat Pay's own cashier takes its place in production."
		),
		"booking": _("Booking"),
	}
	text = {key: e(value) for key, value in text.items()}
	button = (
		f'<p class="done">{text["paid"]}</p><a class="button" href="{e(back)}">{text["back"]}</a>'
		if paid
		else f'<button class="button pay" type="submit">{text["pay"]} ¥{money(payment.amount):.2f}</button>'
		f'<a class="cancel" href="{e(back)}">{text["cancel"]}</a>'
	)
	# a browser also logged in to Desk posts with that session's cookie: Frappe wants its CSRF token
	token = (getattr(frappe.session, "data", None) or {}).get("csrf_token")
	csrf = f'<input type="hidden" name="csrf_token" value="{e(token)}">' if token else ""
	body = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{text["title"]}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; background: #f5f5f5; color: #222; }}
main {{ max-width: 480px; margin: 0 auto; padding: 32px 20px; text-align: center; }}
.note {{ background: #fff4d6; color: #7a5200; padding: 8px 12px; border-radius: 8px; font-size: 14px; }}
.amount {{ font-size: 40px; font-weight: 600; margin: 24px 0 8px; }}
.button {{ display: block; width: 100%; min-height: 48px; border: 0; border-radius: 8px; margin-top: 24px;
  background: #07c160; color: #fff; font-size: 18px; text-decoration: none; line-height: 48px; }}
.cancel {{ display: inline-block; margin-top: 16px; min-height: 44px; line-height: 44px; color: #555; }}
</style></head>
<body><main>
<p class="note">{text["note"]}</p>
<p class="amount">¥{money(payment.amount):.2f}</p>
<p>{text["booking"]} {e(booking.name)}</p>
<form method="post">
{csrf}<input type="hidden" name="prepay_id" value="{e(prepay_id)}">
<input type="hidden" name="redirect_url" value="{e(back)}">
{button}
</form>
</main></body></html>"""
	return Response(body, status=200, content_type="text/html; charset=utf-8")
