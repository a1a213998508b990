"""`@endpoint` = frappe.whitelist + role gate + registration for the generated OpenAPI document."""

import functools
import inspect
from dataclasses import dataclass, field

import frappe
from frappe import _

from home_service.access.rate_limits import rate_limit
from home_service.api import arguments
from home_service.utils.db_retry import run_as_unit

PREFIX = "/api/method/"
PACKAGES_HOOK = "hs_api_packages"  # core's "home_service.api"; an add-on app appends its own package
WEBHOOKS_HOOK = "hs_api_webhooks"  # modules of those packages whose methods answer a provider


def api_packages() -> tuple[str, ...]:
	"""The packages of the mini-program API, from every installed app's `hs_api_packages` hook. Their
	methods get what core's get: the gate (api/gate.py), the error shape and size limit (api/errors.py)
	and the OpenAPI document (api/openapi.py)."""
	return tuple(frappe.get_hooks(PACKAGES_HOOK))


def api_method(path: str) -> str | None:
	"""The method an /api/method/ path calls when it lies in one of the API packages, else None."""
	if not path.startswith(PREFIX):
		return None
	method = path[len(PREFIX) :].split("/")[0]
	return method if method.startswith(tuple(p + "." for p in api_packages())) else None


def is_webhook(method: str) -> bool:
	"""Whether `method` lies in a module of the `hs_api_webhooks` hook: a payment provider's callback,
	which answers in its provider's protocol and reads a body of the provider's type."""
	return method.startswith(tuple(m + "." for m in frappe.get_hooks(WEBHOOKS_HOOK)))


@dataclass
class Endpoint:
	path: str
	fn: object
	methods: tuple[str, ...]
	guest: bool
	roles: tuple[str, ...]
	tag: str
	summary: str
	description: str
	rate_limited: bool = False
	params: list[inspect.Parameter] = field(default_factory=list)


REGISTRY: dict[str, Endpoint] = {}
_RATE_LIMIT_CODE = rate_limit()(lambda: None).__code__


def is_rate_limited(fn) -> bool:
	"""Whether @rate_limit (access/rate_limits.py) wraps `fn`: functools.wraps keeps the chain in
	__wrapped__ and copies names, not code, so the wrapper is recognised by its code object."""
	while fn is not None:
		if getattr(fn, "__code__", None) is _RATE_LIMIT_CODE:
			return True
		fn = getattr(fn, "__wrapped__", None)
	return False


def endpoint(
	*,
	methods: tuple[str, ...] = ("GET",),
	guest: bool = False,
	roles: tuple[str, ...] = (),
	tag: str | None = None,
):
	"""Whitelist `fn` for the given HTTP methods and, unless `guest`, for users with one of `roles`.

	A guest endpoint needs @rate_limit (access/rate_limits.py) below this decorator: anyone may call
	it, so without a per-client limit the module does not import (api/test_addon_packages.py)."""

	def decorate(fn):
		if guest and not is_rate_limited(fn):  # core's and every add-on's: refused at import time
			raise TypeError(
				f"{fn.__module__}.{fn.__name__}: a guest endpoint needs @rate_limit below @endpoint"
			)
		signature, hints = inspect.signature(fn), arguments.type_hints(fn)

		@functools.wraps(fn)
		def gated(*args, **kwargs):
			if not guest and frappe.session.user == "Guest":
				raise frappe.AuthenticationError(_("Please log in."))
			if roles and not set(roles) & set(frappe.get_roles()):
				raise frappe.PermissionError(_("This account cannot do that."))
			args, kwargs = arguments.check(signature, hints, args, kwargs)
			# a deadlock victim runs again from scratch; 503 when that cannot or did not help
			return run_as_unit(fn, *args, **kwargs)

		# arguments.check does the type checks, strictly and before any state is read; Frappe's own
		# (pydantic, lax: `true` becomes 1) would run first, so it sees no annotations here
		gated.__annotations__ = {}
		whitelisted = frappe.whitelist(allow_guest=guest, methods=list(methods))(gated)
		path = f"{fn.__module__}.{fn.__name__}"
		doc = inspect.getdoc(fn) or ""
		summary, _sep, description = doc.partition("\n\n")
		REGISTRY[path] = Endpoint(
			path=PREFIX + path,
			fn=fn,
			methods=tuple(methods),
			guest=guest,
			roles=tuple(roles),
			tag=tag or fn.__module__.rsplit(".", 1)[-1],
			summary=summary.strip(),
			description=description.strip(),
			rate_limited=is_rate_limited(fn),
			params=list(inspect.signature(fn).parameters.values()),
		)
		return whitelisted

	return decorate


def page_args(page: int | None, page_size: int | None, max_size: int = 50) -> tuple[int, int]:
	"""Validated (start, length) for a 1-based page."""
	page = page or 1
	page_size = page_size or 20
	if page < 1 or not 1 <= page_size <= max_size:
		frappe.throw(_("page must be 1 or more and page_size between 1 and {0}.").format(max_size))
	return (page - 1) * page_size, page_size


def paged(items: list, total: int, start: int, length: int) -> dict:
	return {
		"items": items,
		"page": start // length + 1,
		"page_size": length,
		"total": total,
		"has_more": start + len(items) < total,
	}
