"""Gateway credentials from HS Payment Settings (keys are Password fields) and webhook addresses."""

import frappe
from frappe import _

from home_service.billing.gateways.base import GatewayNotConfiguredError

SETTINGS = "HS Payment Settings"


def payment_settings():
	return frappe.get_cached_doc(SETTINGS)


def secret(fieldname: str) -> str | None:
	return payment_settings().get_password(fieldname, raise_exception=False)


def require(values: dict, provider: str) -> None:
	missing = [name for name, value in values.items() if not value]
	if missing:
		frappe.throw(
			_("{0} is not configured (missing: {1}).").format(provider, ", ".join(missing)),
			GatewayNotConfiguredError,
		)


def notify_url(method: str) -> str:
	"""Where the provider posts webhooks: the configured public base URL, else this site's URL."""
	base = (payment_settings().notify_base_url or frappe.utils.get_url()).rstrip("/")
	return f"{base}/api/method/home_service.api.notify.{method}"


def read_timeout() -> float:
	"""Seconds to wait for a provider's answer (site config `hs_gateway_timeout`, default 10)."""
	return float(frappe.conf.get("hs_gateway_timeout") or 10)
