"""What a mini-program session may call: the app's API and a few of Frappe's login methods, nothing else.

Frappe whitelists hundreds of generic methods (frappe.client.get_count, validate_link, the desk's
report and search methods…) and serves every DocType through /api/resource and /api/v2. Their
permission checks are written for Desk users; a customer's token asking `get_count` with filters
learnt another customer's phone number digit by digit. So every request that is not a Desk session
is refused before Frappe runs anything, unless it calls

- a whitelisted method defined in an API package named by the `hs_api_packages` hook (this app's
  `home_service.api`; an add-on app adds its own), or
- one of the framework methods named by the `hs_framework_methods` hook (log in and out, the
  password reset and e-mail login link of the login page, `ping`).

A mini-program session is a request authenticated by an X-HS-Token, a Guest request, or a logged-in
user who is not a System User (a customer who logged in on the website). Desk users (System Users,
by cookie or API key) keep Frappe's behaviour entirely.

The document APIs (/api/resource, /api/v2/document, /api/v2/doctype, controller methods through
/api/v2/method/<doctype>/<method> and run_doc_method) are refused to these sessions altogether: the
mini-programs read and write only through the app's endpoints, which decide what a caller may see.

Refusals answer in the app's error shape (api/errors.py): 403 FORBIDDEN, or 401 UNAUTHENTICATED for
a Guest (as for any method that needs a login: a Desk tab whose session expired then offers to log in
again). The check is one URL match and a few string comparisons; it reads nothing from the database.
"""

import sys

from werkzeug.exceptions import HTTPException

import frappe
from frappe import _
from frappe.api import API_URL_MAP

from home_service.access.tokens import is_token_request
from home_service.api.registry import PACKAGES_HOOK

DOCUMENT_API = "<document API>"  # /api/resource, /api/v2/document, /api/v2/doctype, doctype methods
METHOD_PATH = "/api/method/"
METHOD_RULES = ("/method/<path:method>", "/method/<method>")  # /api/v1 and /api/v2 RPC routes


def refuse_outside_api() -> None:
	"""`auth_hooks` entry, listed after the token's: the user of the request is known by now."""
	request = getattr(frappe.local, "request", None)
	if request is None or not is_mini_program_session():
		return
	target = called(request, frappe.local.form_dict)
	if target is None or is_open(target):
		return
	frappe.local.hs_refused_outside_api = message = _("This is not part of the mini-program API.")
	raise frappe.PermissionError(message)  # api/errors.py answers it in the app's error shape


def was_refused() -> str | None:
	"""The gate's message when it refused this request."""
	return getattr(frappe.local, "hs_refused_outside_api", None)


def is_mini_program_session() -> bool:
	if is_token_request():
		return True
	user = frappe.session.user
	if not user or user == "Guest":
		return True
	return frappe.get_cached_value("User", user, "user_type") != "System User"


def called(request, form_dict) -> str | None:
	"""What the request asks Frappe to run: a method's name as Frappe resolves it, DOCUMENT_API, or
	None for a request that runs no method (a page, a file, a path Frappe answers 404)."""
	cmd = form_dict.get("cmd")
	if cmd:  # frappe.app runs `cmd` whatever the path, before it looks at /api routes
		return cmd if isinstance(cmd, str) else DOCUMENT_API
	if request.path.startswith(METHOD_PATH):  # v1's /method/<path:method>, the common case: no URL map
		return request.path[len(METHOD_PATH) :].split("/")[0]
	if not request.path.startswith("/api/"):
		return None
	try:
		rule, args = API_URL_MAP.bind_to_environ(request.environ).match(return_rule=True)
	except HTTPException:  # no route, or not for this verb: Frappe answers 404/405 and runs nothing
		return None
	if rule.rule.endswith(METHOD_RULES):
		return args["method"].split("/")[0]  # as frappe.api.v1.handle_rpc_call reads it
	if "/method/" in rule.rule and not rule.arguments:
		return rule.rule.rsplit("/", 1)[1]  # v2's fixed routes: login, logout, ping, run_doc_method…
	return DOCUMENT_API


def is_open(target: str) -> bool:
	hooks = frappe.get_hooks()  # one copy of the app hooks Frappe has loaded for this request
	packages = tuple(package + "." for package in hooks.get(PACKAGES_HOOK, ()))
	if target.startswith(packages):
		return is_defined_under(target, packages)
	return target in hooks.get("hs_framework_methods", ())


def is_defined_under(target: str, packages: tuple[str, ...]) -> bool:
	"""Whether the function `target` names is defined in one of `packages`: an API module that imports
	a framework method (say frappe.client.get_count) would otherwise expose it under the package."""
	module_name, _dot, name = target.rpartition(".")
	module = sys.modules.get(module_name)  # loaded after a worker's first call: no import machinery
	try:
		fn = getattr(module, name) if module else frappe.get_attr(target)
	except Exception:
		return True  # Frappe fails the same lookup with its own error and runs nothing
	return (f"{getattr(fn, '__module__', None)}.").startswith(packages)
