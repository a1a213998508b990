"""The whole pay flow against the local WeChat Pay and Alipay fakes, step by step, in one command:

	bench-config/bench --site home.localhost hs-pay-flow [--gateway Alipay]

It points the site at fakes started in this process, books a demo service for a new customer,
opens the order, pays at the fake, delivers the signed webhook, cancels, refunds and prints the
ledger — then rolls everything back, so the site is left as it was.
"""

import json

import click

import frappe

from home_service.billing.gateways import WECHAT_PAY
from home_service.billing.gateways.fakes import fake_alipay_pay, fake_wechatpay
from home_service.billing.notifications import handle
from home_service.billing.payments import start_payment
from home_service.billing.refunds import submit_refund
from home_service.booking import cancellation
from home_service.devtools.records import ledger_rows, payable_booking


def run(gateway: str = WECHAT_PAY) -> dict:
	"""Walk the flow, print each step and return what was observed (the site is rolled back)."""
	muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True
	try:
		with fake_wechatpay() if gateway == WECHAT_PAY else fake_alipay_pay() as fake:
			return _walk(gateway, fake)
	finally:
		frappe.db.rollback()
		# the caller's process (a test run) e-mails as before: not muted, and without the dummy
		# outgoing account Frappe cached for this process while it was muted
		frappe.flags.mute_emails = muted
		frappe.local.outgoing_email_account = {}
		click.secho("\nrolled back: the site is unchanged", fg="green")


def _walk(gateway: str, fake) -> dict:
	seen = {"gateway": gateway}
	step = lambda text: click.secho(f"\n▶ {text}", bold=True)  # noqa: E731
	step(f"a customer books a service (fake {gateway} at {fake.url})")
	booking = payable_booking()
	seen.update(booking=booking.name, grand_total=str(booking.grand_total), status_before=booking.status)
	click.echo(f"  {booking.name}: {booking.status}, grand total ¥{booking.grand_total}")

	step("the mini-program asks to pay: the server opens the provider order")
	params = start_payment(booking.name, gateway)
	seen.update(params=params, same_order_on_second_tap=start_payment(booking.name, gateway) == params)
	click.echo("  " + json.dumps(params, ensure_ascii=False)[:300])
	click.echo(f"  a second tap returns the same order: {seen['same_order_on_second_tap']}")

	step("the customer pays in the provider's app; the provider posts its signed webhook")
	if gateway == WECHAT_PAY:
		headers, body = fake.paid_notification(params["out_trade_no"])
	else:
		headers, body = {}, fake.paid_notification(params["out_trade_no"])
	answer = handle(gateway, headers, body)
	seen["webhook"] = (answer.status_code, answer.get_data(as_text=True))
	click.echo(f"  webhook answered HTTP {answer.status_code} {answer.get_data(as_text=True)!r}")
	again = handle(gateway, headers, body)
	seen["webhook_again"] = (again.status_code, again.get_data(as_text=True))
	click.echo(f"  the same webhook again: HTTP {again.status_code} (no second effect)")
	booking.reload()
	seen.update(status_paid=booking.status, payment_status_paid=booking.payment_status)
	seen["ledger_rows_paid"] = len(ledger_rows(booking.name))
	click.echo(
		f"  {booking.name}: {booking.status}, payment {booking.payment_status}, paid ¥{booking.paid_amount}"
	)

	step("the customer cancels; the policy refund goes to the provider under a key minted first")
	cancellation.cancel(frappe.get_doc("HS Booking", booking.name, for_update=True), "pay-flow demo")
	refund = frappe.get_last_doc("HS Refund", filters={"booking": booking.name})
	seen.update(refund_result=submit_refund(refund.name), refund_fen=refund.amount_fen)
	click.echo(f"  {refund.name} {refund.out_refund_no} ¥{refund.amount}: {seen['refund_result']}")
	booking.reload()
	seen.update(status_refunded=booking.status, payment_status_refunded=booking.payment_status)
	click.echo(f"  {booking.name}: {booking.status}, payment {booking.payment_status}")

	step("the ledger of this booking (debit +, credit -, fen)")
	rows = ledger_rows(booking.name)
	for row in rows:
		click.echo(f"  {row.posting_key:<34} {row.account:<22} {row.amount_fen:>8}")
	by_key = {}
	for row in rows:
		by_key[row.posting_key] = by_key.get(row.posting_key, 0) + row.amount_fen
	seen.update(ledger=[(r.posting_key, r.account, r.amount_fen) for r in rows], ledger_by_key=by_key)
	click.echo(f"  sum {sum(r.amount_fen for r in rows)} (every transaction balances)")
	return seen
