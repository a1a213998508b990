"""The WSGI application to serve: Frappe's, answering 503 "try again" while MariaDB or Redis is away.

	gunicorn … 'home_service.wsgi:application'                 (production, behind nginx)
	gunicorn … 'home_service.wsgi:application_with_statics()'  (also /assets and /files, as bench serve)

Why a WSGI layer and not an app hook: a lost database or Redis surfaces all over Frappe's request —
in frappe.init/connect and the session load before any hook of ours runs, in the commit after our
code, and in the rollback of frappe.app.application's `finally`, which then escapes to gunicorn as
its HTML "Internal Server Error". Only a layer around the whole application sees every case. The
errors Frappe catches itself reach `frappe.app.handle_exception`, which would query the database
again (system settings) and render a 500; importing this module wraps it, so only processes serving
this module change.

What a client gets, always with `Retry-After`:
- payment webhooks (api/notify.py): what their provider takes as "retry": WeChat Pay a non-2xx
  with {"code": "FAIL"}, Alipay anything but "success";
- any other /api/ path: 503 {"error": {"code": "SERVICE_UNAVAILABLE", "message", "type"}}, the
  shape of api/errors.py;
- other pages (Desk, the website): a short 503 page instead of a traceback.
Nothing was committed when the answer is 503, with one exception: Redis lost between the commit and
the jobs enqueued after it. A retry then finds the work done (create_booking by its idempotency key,
a webhook by its notification id), and the scheduler's sweeps do what the lost jobs would have done
(dispatch.jobs re-drives bookings nobody dispatches, notifications.retry_due sends queued messages).
"""

import json
import logging

from werkzeug.wrappers import Response

import frappe
import frappe.app

from home_service.utils.outage import is_outage

RETRY_AFTER_SECONDS = 5
MESSAGE = "The service is briefly unavailable. Please try again in a few seconds."
NOTIFY_METHOD = "home_service.api.notify."
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; margin: 4em auto; max-width: 36em"><h1>{title}</h1><p>{message}</p>
</body></html>"""

log = logging.getLogger(__name__)


def unavailable(path: str) -> Response:
	"""The 503 for a request to `path` (see the module notes)."""
	headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
	method = path.rpartition("/")[2]
	if method.startswith(NOTIFY_METHOD):
		provider = method.removeprefix(NOTIFY_METHOD)
		if provider == "alipay":  # Alipay resends until the body is exactly "success"
			return Response("failure", 503, headers, content_type="text/plain")
		body = {"code": "FAIL", "message": "service unavailable, retry later"}  # WeChat Pay v3
		return Response(json.dumps(body), 503, headers, content_type="application/json")
	message = _translated(MESSAGE)
	if path.startswith("/api/"):
		body = {"error": {"code": "SERVICE_UNAVAILABLE", "message": message, "type": "ServiceUnavailable"}}
		return Response(json.dumps(body, ensure_ascii=False), 503, headers, content_type="application/json")
	page = PAGE.format(title=_translated("Service Unavailable"), message=message)
	return Response(page, 503, headers, content_type="text/html; charset=utf-8")


class OutageMiddleware:
	"""Answers `unavailable()` for a request that failed because MariaDB or Redis was unreachable,
	whether the error escaped Frappe's application or Frappe handled it (`handle_exception` below)."""

	def __init__(self, app):
		self.app = app

	def __call__(self, environ, start_response):
		started = []

		def record(status, headers, exc_info=None):
			started[:] = [status, headers, exc_info]
			return _no_write

		frappe.local.hs_outage = None
		try:
			body = self.app(environ, record)
		except Exception as e:
			if not is_outage(e):
				raise
			answer = self._answer(environ, e)
			_end_request()  # Frappe cleans up when its response is closed: there was none
			return answer(environ, start_response)
		outage = getattr(frappe.local, "hs_outage", None)
		if outage is None:
			start_response(*started)
			return body
		answer = self._answer(environ, outage)
		_quietly(getattr(body, "close", None))  # Frappe's after-response callbacks, frappe.destroy last
		_end_request()
		return answer(environ, start_response)

	@staticmethod
	def _answer(environ, error: BaseException) -> Response:
		path = environ.get("PATH_INFO") or "/"
		log.warning("503 for %s %s: %s: %s", environ.get("REQUEST_METHOD"), path, type(error).__name__, error)
		return unavailable(path)


_frappe_handle_exception = frappe.app.handle_exception


def handle_exception(e):
	"""frappe.app.handle_exception, except for an outage: undo what the request wrote (only Redis
	may be gone) and leave the answer to OutageMiddleware."""
	if not is_outage(e):
		return _frappe_handle_exception(e)
	frappe.local.hs_outage = e
	if getattr(frappe.local, "db", None):
		_quietly(frappe.db.rollback)
	return Response(status=503)


frappe.app.handle_exception = handle_exception
application = OutageMiddleware(frappe.app.application)


def application_with_statics():
	return OutageMiddleware(frappe.app.application_with_statics())


def _translated(text: str) -> str:
	if (getattr(frappe.local, "lang", None) or "en") == "en":
		return text  # no translation to look up (and nothing to ask an unreachable server)
	try:
		return frappe._(text)
	except Exception:
		return text


def _end_request() -> None:
	if getattr(frappe.local, "initialised", False):
		_quietly(frappe.destroy)


def _quietly(fn) -> None:
	if fn is None:
		return
	try:
		fn()
	except Exception:
		log.debug("ignored during an outage", exc_info=True)


def _no_write(data: bytes) -> None:
	raise RuntimeError("home_service.wsgi does not support the WSGI write() callable")
