"""Bench commands of the home_service app (found by frappe.utils.bench_helper.get_app_commands)."""

import click

import frappe
from frappe.commands import pass_context
from frappe.exceptions import SiteNotSpecifiedError

from home_service import compat


@click.command("hs-load-demo")
@click.option("--path", help="Folder with the demo fixtures (default: the demo/data the app ships)")
@click.option(
	"--force",
	is_flag=True,
	default=False,
	help="Load again even if the demo was loaded; adds what is missing",
)
@pass_context
def load_demo(context, path=None, force=False):
	"""Load the demo city (上海市: catalogue, technicians, customers, bookings) into the site."""
	from home_service.demo.loader import load

	for site in context.sites:
		frappe.init(site=site)
		frappe.connect()
		try:
			load(path=path, force=force)
		finally:
			frappe.destroy()
	if not context.sites:
		raise SiteNotSpecifiedError


@click.command("hs-pay-flow")
@click.option("--gateway", type=click.Choice(["WeChat Pay", "Alipay"]), default="WeChat Pay")
@pass_context
def pay_flow(context, gateway="WeChat Pay"):
	"""Walk a booking through pay, webhook, cancel and refund against local provider fakes (rolled back)."""
	from home_service.devtools.pay_flow import run

	for site in context.sites:
		frappe.init(site=site)
		frappe.connect()
		try:
			frappe.set_user("Administrator")
			compat.install()  # a bench command runs no request or job hook
			run(gateway)
		finally:
			frappe.destroy()
	if not context.sites:
		raise SiteNotSpecifiedError


@click.command("hs-last-code")
@click.argument("phone")
@pass_context
def last_code(context, phone: str):
	"""Print the SMS login code still valid for PHONE, as the Console SMS provider logged it (development)."""
	from home_service.access.otp import console_code

	if len(context.sites) != 1:
		raise click.UsageError("Name one site: bench --site SITE hs-last-code PHONE")
	frappe.init(site=context.sites[0])
	frappe.connect()
	try:
		code = console_code(phone)
	except frappe.ValidationError as e:
		raise click.ClickException(frappe.utils.strip_html_tags(str(e))) from e
	finally:
		frappe.destroy()
	if not code:
		raise click.ClickException(
			f"No valid code for {phone}: request one (home_service.api.auth.sms_send_code) first; codes "
			"last 5 minutes and are read from the Error Log of the Console SMS provider (HS Settings)."
		)
	click.echo(code)


@click.command("hs-worker")
@click.option("--queue", type=str, help="Queues to work, comma-separated (default: all of Frappe's)")
@click.option("--quiet", is_flag=True, default=False, help="Hide the log of each job")
@click.option("--burst", is_flag=True, default=False, help="Work the jobs queued now, then stop")
def hs_worker(queue=None, quiet=False, burst=False):
	"""Start an RQ worker like `bench worker` that starts again by itself when Redis comes back."""
	from home_service.utils.worker import run

	run(queue=queue, quiet=quiet, burst=burst)


commands = [load_demo, pay_flow, last_code, hs_worker]
