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


commands = [load_demo]
