"""One error shape for every method of the API packages (`hs_api_packages`), whatever raised it.

Frappe renders exceptions as {"exc_type", "exception", "_server_messages"}; this `after_request`
hook rewrites them for our API paths, and for any request the gate refused (api/gate.py), into

    HTTP 4xx  {"error": {"code": "NO_CAPACITY", "message": "No technician is free…", "type": "NoCapacityError"}}

so a mini-program needs one error handler. Type errors, permission errors, rate limits and our domain
errors all come out this way; 417 (Frappe's ValidationError) becomes 422. Tracebacks never leave.
"""

import json
import re

import frappe
from frappe.utils import strip_html_tags

from home_service.api.gate import was_refused
from home_service.api.registry import PREFIX, REGISTRY, api_method, is_webhook
from home_service.utils.db_retry import TryAgainError

API_PATH = "/api/method/home_service.api."  # core's package; add-ons add theirs (api_method)
CODES = {
	"ValidationError": "INVALID",
	"FrappeTypeError": "INVALID_ARGUMENT",
	"MandatoryError": "MISSING_FIELD",
	"LinkValidationError": "NOT_FOUND",
	"DoesNotExistError": "NOT_FOUND",
	"PermissionError": "FORBIDDEN",
	"AuthenticationError": "UNAUTHENTICATED",
	"SessionExpired": "UNAUTHENTICATED",
	"CSRFTokenError": "UNAUTHENTICATED",
	"RateLimitExceededError": "RATE_LIMITED",
	"TooManyRequestsError": "RATE_LIMITED",
	"PageDoesNotExistError": "NOT_FOUND",
	"JSONDecodeError": "INVALID_JSON",
	"UnicodeDecodeError": "INVALID_JSON",
	"MethodNotAllowed": "METHOD_NOT_ALLOWED",
}
# raised by Frappe while it parses the request, before any of our code runs: the client's fault
CLIENT_FAULTS = {"JSONDecodeError": 400, "UnicodeDecodeError": 400}
MAX_BODY_BYTES = 1024 * 1024  # site config `hs_max_api_body_bytes`
MAX_UPLOAD_BYTES = 6 * 1024 * 1024  # multipart uploads of photos and certificates (5 MB + form overhead)
UPLOAD_ENDPOINTS = (".upload_photo", ".upload_certificate")
# bodies Frappe turns into arguments (JSON from the mini-programs, forms from Desk, uploads)
BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")


class RequestTooLargeError(frappe.ValidationError):
	http_status_code = 413


class UnsupportedMediaTypeError(frappe.ValidationError):
	http_status_code = 415


DEFAULT_MESSAGES = {
	400: "The request is not valid JSON.",
	401: "Please log in.",
	403: "Not permitted.",
	404: "Not found.",
	405: "Method not allowed.",
	413: "The request is too large.",
	415: "Send the arguments as JSON (Content-Type: application/json).",
	429: "Too many requests. Please try again later.",
	503: "The service is busy. Please try again in a moment.",
}


def shape_api_errors(response, request) -> None:
	method = api_method(request.path)
	if response is None or not (was_refused() or method):
		return  # (no response: Frappe returns a werkzeug HTTPException as it is)
	if response.status_code < 400:
		return
	if method and is_webhook(method):
		return  # payment providers get the answer their protocol defines
	body = _json(response)
	exc_type = (body.get("exc_type") or "").split(".")[-1]
	status = 422 if response.status_code == 417 else response.status_code
	if refusal := was_refused():  # Frappe answers a `cmd` posted to a page in HTML: say it here
		status, exc_type, body = 403, "PermissionError", {"exception": f"PermissionError: {refusal}"}
	if status >= 500 and exc_type in CLIENT_FAULTS:
		status, body = CLIENT_FAULTS[exc_type], {}
	allowed = _allowed_methods(request) if status == 403 and not refusal else None
	if allowed:
		# Frappe refuses a method called with the wrong HTTP verb as "Not permitted"; say what it is
		status, exc_type, body = 405, "MethodNotAllowed", {}
		response.headers["Allow"] = ", ".join(allowed)
	if status == 403 and getattr(frappe.session, "user", "Guest") == "Guest":
		# Frappe refuses guests with 403; for a client the remedy is to log in
		status, exc_type, body = 401, "AuthenticationError", {}
	if exc_type == TryAgainError.__name__:  # a deadlock victim not run again or again in vain
		message, code = _message(body) or frappe._(DEFAULT_MESSAGES[503]), "SERVICE_UNAVAILABLE"
		response.headers["Retry-After"] = str(TryAgainError.retry_after)
	elif status >= 500:
		message = frappe._("Something went wrong on our side. Please try again.")
		code = "SERVER_ERROR"
	else:
		message = _message(body) or frappe._(DEFAULT_MESSAGES.get(status, "The request was not accepted."))
		code = CODES.get(exc_type) or _code_from(exc_type) or f"HTTP_{status}"
	response.set_data(json.dumps({"error": {"code": code, "message": message, "type": exc_type or None}}))
	response.status_code = status
	response.headers["Content-Type"] = "application/json"


def limit_request_size() -> None:
	"""`before_request` hook: refuse large bodies on the API packages' paths with 413 and bodies of a
	type Frappe does not read with 415 (in the shape above)."""
	request = getattr(frappe.local, "request", None)
	method = api_method(request.path) if request is not None else None
	if not method:
		return
	limit = frappe.utils.cint(frappe.conf.get("hs_max_api_body_bytes")) or MAX_BODY_BYTES
	if request.path.endswith(UPLOAD_ENDPOINTS) and request.mimetype == "multipart/form-data":
		limit = MAX_UPLOAD_BYTES  # the endpoint itself checks type and its own 5 MB limit
	# a chunked body has no Content-Length; Frappe has read it already (bounded by max_file_size)
	size = request.content_length if request.content_length is not None else len(request.get_data())
	if size > limit:
		raise RequestTooLargeError(frappe._("The request is too large."))
	if size and request.mimetype not in BODY_TYPES and not is_webhook(method):
		# Frappe would silently ignore such a body and run the method without its arguments
		raise UnsupportedMediaTypeError(
			frappe._("Send the arguments as JSON (Content-Type: application/json).")
		)


def _allowed_methods(request) -> tuple[str, ...] | None:
	"""The HTTP methods of the endpoint at this path when this request used another one."""
	endpoint = REGISTRY.get(request.path.removeprefix(PREFIX))
	if endpoint and request.method not in endpoint.methods:
		return endpoint.methods
	return None


def _json(response) -> dict:
	try:
		data = json.loads(response.get_data(as_text=True) or "{}")
		return data if isinstance(data, dict) else {}
	except ValueError:
		return {}


def _message(body: dict) -> str | None:
	try:
		for raw in json.loads(body.get("_server_messages") or "[]"):
			text = json.loads(raw).get("message") if raw.startswith("{") else raw
			if text:
				return strip_html_tags(str(text)).strip()
	except (ValueError, AttributeError):
		pass
	exception = body.get("exception")
	if exception and ": " in exception:
		return strip_html_tags(exception.split(": ", 1)[1]).strip()[:500]
	return None


def _code_from(exc_type: str) -> str | None:
	"""NoCapacityError → NO_CAPACITY."""
	if not exc_type:
		return None
	name = exc_type[:-5] if exc_type.endswith("Error") else exc_type
	return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def answer_for(exc: type[Exception]) -> tuple[int, str]:
	"""The HTTP status and `error.code` shape_api_errors answers an exception of this class with, for
	the error responses of the OpenAPI document (api/openapi.py; test_openapi.py holds the two together)."""
	status = getattr(exc, "http_status_code", 500)
	status = 422 if status == 417 else status
	if status >= 500:  # one that says when to try again (utils/db_retry.py) is the client's to retry
		return status, "SERVICE_UNAVAILABLE" if getattr(exc, "retry_after", None) else "SERVER_ERROR"
	return status, CODES.get(exc.__name__) or _code_from(exc.__name__) or f"HTTP_{status}"
