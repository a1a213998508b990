"""Bench commands of the home_service app (found by frappe.utils.bench_helper.get_app_commands)."""

import click

import frappe
from frappe.commands import pass_context
from frappe.exceptions import SiteNotSpecifiedError


@click.command("hs-load-demo")
@click.option("--path", help="Folder with the demo fixtures (default: <bench>/fixtures)")
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
	from home_service.billing.pay_flow import run

	for site in context.sites:
		frappe.init(site=site)
		frappe.connect()
		try:
			frappe.set_user("Administrator")
			run(gateway)
		finally:
			frappe.destroy()
	if not context.sites:
		raise SiteNotSpecifiedError


commands = [load_demo, pay_flow]
