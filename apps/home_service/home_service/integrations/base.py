"""What every outbound client shares: base URLs from site config, one HTTP helper, one error type.

Secrets and one-time codes must not reach the Error Log. Frappe's error snapshot prints the local
variables of every frame between the request handler and the `raise`, so clients raise
`ProviderError` *after* leaving their `except` block (no chained exception, no frame of a library
holding a signed URL), and the callers in access/ and api/ keep secrets out of their own locals.
"""

import requests

import frappe
from frappe import _

from home_service.utils.db_retry import outside_effect

TIMEOUT = (5, 10)  # connect, read (seconds)


class ProviderError(frappe.ValidationError):
	"""A provider could not be reached or answered with an error we cannot hand to the user."""

	http_status_code = 502


class InvalidLoginCodeError(frappe.AuthenticationError):
	"""The login code from the mini-program is invalid, used or expired (HTTP 401)."""


class LoginBlockedError(frappe.AuthenticationError):
	"""The provider refuses this user (e.g. WeChat's high-risk user check); 401 with its own message."""


def conf_url(key: str, default: str) -> str:
	return (frappe.conf.get(key) or default).rstrip("/")


def request_json(method: str, url: str, provider: str, **kwargs) -> dict:
	"""JSON body of a successful HTTP call, or `ProviderError` naming only the provider."""
	outside_effect(f"a call to {provider}")
	try:
		response = requests.request(method, url, timeout=TIMEOUT, **kwargs)
		if response.ok:
			return response.json()
		status = response.status_code
	except (requests.RequestException, ValueError):
		status = None
	log_provider_failure(provider, f"HTTP {status}" if status else "unreachable or not JSON")
	frappe.throw(_("{0} is not available right now. Please try again later.").format(provider), ProviderError)


def log_provider_failure(provider: str, detail: str) -> None:
	"""An Error Log row with what went wrong, never with what was sent."""
	frappe.log_error(title=f"HS {provider} call failed", message=detail)


def mask_phone(phone: str | None) -> str:
	return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) >= 7 else "****"
