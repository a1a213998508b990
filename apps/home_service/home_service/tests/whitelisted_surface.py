"""Everything a client could call on this site, found at run time: every whitelisted method of every
installed app (each app's modules imported, tests and patches aside, then `frappe.whitelisted` read)
and every HS DocType with a record to ask for. tests/security/test_method_allowlist.py calls
`surface` through `bench --site SITE execute` and sweeps it over HTTP; nothing here is whitelisted."""

import importlib
import pkgutil

import frappe
from frappe.modules.utils import get_module_name

SKIPPED_PARTS = ("tests", "patches", "commands", "test_", "setup_wizard_tests")


def surface() -> dict:
	failed = import_installed_apps()
	controllers = controller_doctypes()
	methods, doc_methods = [], []
	for fn in frappe.whitelisted:
		qualname = getattr(fn, "__qualname__", fn.__name__)
		if "." not in qualname:  # a module's function: /api/method/<module>.<function>
			methods.append(
				{
					"path": f"{fn.__module__}.{fn.__name__}",
					"guest": fn in frappe.guest_methods,
					"http_methods": frappe.allowed_http_methods_for_whitelisted_func.get(fn, []),
				}
			)
		elif fn.__module__ in controllers and "<locals>" not in qualname:  # a controller's method
			doc_methods.append({"doctype": controllers[fn.__module__], "method": fn.__name__})
	return {
		"apps": frappe.get_installed_apps(),
		"import_failures": failed,
		"methods": sorted(methods, key=lambda row: row["path"]),
		"doc_methods": sorted(doc_methods, key=lambda row: (row["doctype"], row["method"])),
		"hs_doctypes": hs_doctypes(),
		"api_packages": frappe.get_hooks("hs_api_packages"),
		"framework_methods": frappe.get_hooks("hs_framework_methods"),
	}


def import_installed_apps() -> dict[str, str]:
	"""Import every module of every installed app; {module: error} for those that fail (optional
	dependencies of integrations that are not set up), which the test shows."""
	failed = {}
	for app in frappe.get_installed_apps():
		package = importlib.import_module(app)
		for info in pkgutil.walk_packages(package.__path__, app + ".", onerror=lambda name: None):
			if any(part.startswith(SKIPPED_PARTS) for part in info.name.split(".")[1:]):
				continue
			try:
				importlib.import_module(info.name)
			except Exception as e:
				failed[info.name] = f"{type(e).__name__}: {e}"
	return failed


def controller_doctypes() -> dict[str, str]:
	"""{controller module: DocType} for every DocType with a controller of its own."""
	apps = dict(frappe.get_all("Module Def", fields=["name", "app_name"], as_list=True))
	found = {}
	for row in frappe.get_all("DocType", filters={"custom": 0}, fields=["name", "module"]):
		if apps.get(row.module):
			found[get_module_name(row.name, row.module, app=apps[row.module])] = row.name
	return found


def hs_doctypes() -> list[dict]:
	"""Every DocType of the app: a record's name to ask for (None when there is none or it is a
	table or single) and a few field names to filter and group on."""
	found = []
	for row in frappe.get_all(
		"DocType",
		filters={"module": ("in", frappe.get_all("Module Def", {"app_name": "home_service"}, pluck="name"))},
		fields=["name", "istable", "issingle"],
		order_by="name",
	):
		meta = frappe.get_meta(row.name)
		fields = [df.fieldname for df in meta.fields if df.fieldtype in ("Data", "Link", "Select", "Phone")]
		sample = row.name if row.issingle else frappe.db.get_value(row.name, {}, "name")
		found.append({"name": row.name, "istable": row.istable, "sample": sample, "fields": fields[:3]})
	return found
