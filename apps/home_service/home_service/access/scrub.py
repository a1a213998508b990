"""Server errors from endpoints that handle secrets, logged without the secrets.

For a 5xx Frappe writes an "error snapshot" to the Error Log with the local variables of every frame
from the request handler down to the `raise` — including the handler's copy of the request
arguments (an OTP code, a WeChat code) and whatever a client held (session_key, signed URLs). Its
redaction covers variable names such as `secret` or `token`, not `code` or `session_key`.

`@scrubbed_errors` lets 4xx errors pass unchanged (Frappe never snapshots them), and deadlocks and lock
wait timeouts (the endpoint runs the request again or answers 503, utils/db_retry.py). Anything else
becomes `ServerErrorScrubbed`, a SecurityException (which Frappe does not snapshot) raised from this
frame with the same HTTP status, after logging the traceback *without* variables and with mobile
numbers masked.
"""

import functools
import re
import traceback

import frappe
from frappe import _

from home_service.integrations.base import ProviderError
from home_service.utils.db import transaction_lost

PHONE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
SECRET_IN_TEXT = re.compile(r"((?:secret|session_key|access_token|js_code|code|sign)=)[^&\s'\"]+", re.I)


class ServerErrorScrubbed(frappe.SecurityException):
	http_status_code = 500


def scrubbed_errors(fn):
	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		status = None
		try:
			return fn(*args, **kwargs)
		except Exception as exc:
			status = getattr(exc, "http_status_code", 500)
			if status < 500 or transaction_lost(exc) or isinstance(exc, frappe.QueryTimeoutError):
				raise  # a deadlock or lock wait goes up to the endpoint, which retries or answers 503
			if not isinstance(exc, ProviderError):  # those were logged, cleanly, where they happened
				_log(fn.__name__, traceback.format_exception(type(exc), exc, exc.__traceback__, chain=False))
		args = kwargs = None  # nothing the caller sent stays in this frame
		error = ServerErrorScrubbed(_("Something went wrong on our side. Please try again."))
		error.http_status_code = status
		raise error

	return wrapper


def _log(endpoint: str, lines: list[str]) -> None:
	text = SECRET_IN_TEXT.sub(r"\1***", PHONE_IN_TEXT.sub(r"\1****\2", "".join(lines)))
	for deferred in (False, True):  # Error Log is MyISAM: the row outlives the request's rollback
		try:
			frappe.log_error(title=f"HS {endpoint} failed", message=text, defer_insert=deferred)
			return
		except Exception:
			continue
