"""A threaded HTTP server on 127.0.0.1 with an ephemeral port, for provider fakes (stdlib only)."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
	method: str
	path: str
	query: dict[str, str]
	headers: dict[str, str]
	body: bytes

	def form(self) -> dict[str, str]:
		return dict(parse_qsl(self.body.decode(), keep_blank_values=True))

	def json(self) -> dict:
		return json.loads(self.body or b"{}")


@dataclass
class Response:
	status: int = 200
	body: bytes | str | dict = b""
	headers: dict[str, str] = field(default_factory=dict)
	delay: float = 0.0  # seconds to wait before answering (outside the fake's lock): a slow provider


class FakeServer:
	"""Subclasses implement `handle(request) -> Response`; `url` is where the app should call."""

	def __init__(self):
		self.requests: list[Request] = []
		self.down = False  # answer every call with HTTP 503
		self._lock = threading.Lock()
		self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
		self._httpd.daemon_threads = True
		self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

	@property
	def url(self) -> str:
		host, port = self._httpd.server_address[:2]
		return f"http://{host}:{port}"

	def start(self):
		self._thread.start()
		return self

	def stop(self) -> None:
		self._httpd.shutdown()
		self._httpd.server_close()

	def __enter__(self):
		return self.start()

	def __exit__(self, *exc):
		self.stop()

	def handle(self, request: Request) -> Response:
		raise NotImplementedError

	def _dispatch(self, request: Request) -> Response:
		with self._lock:
			self.requests.append(request)
			if self.down:
				return Response(503, b"down")
			return self.handle(request)

	def _handler_class(self):
		fake = self

		class Handler(BaseHTTPRequestHandler):
			protocol_version = "HTTP/1.1"

			def _serve(self):
				parts = urlsplit(self.path)
				length = int(self.headers.get("Content-Length") or 0)
				request = Request(
					method=self.command,
					path=parts.path,
					query=dict(parse_qsl(parts.query, keep_blank_values=True)),
					headers={k.lower(): v for k, v in self.headers.items()},
					body=self.rfile.read(length) if length else b"",
				)
				try:
					response = fake._dispatch(request)
				except Exception as exc:  # a bug in a fake must show up as a failing call
					response = Response(500, f"fake error: {exc!r}")
				if response.delay:
					time.sleep(response.delay)
				body = response.body
				if isinstance(body, dict):
					body = json.dumps(body, ensure_ascii=False)
					response.headers.setdefault("Content-Type", "application/json; charset=utf-8")
				if isinstance(body, str):
					body = body.encode()
				self.send_response(response.status)
				for name, value in response.headers.items():
					self.send_header(name, value)
				self.send_header("Content-Length", str(len(body)))
				self.end_headers()
				try:
					self.wfile.write(body)
				except (BrokenPipeError, ConnectionResetError):
					pass  # the client gave up waiting (a timeout test): that is the point

			do_GET = do_POST = _serve

			def log_message(self, *args):  # requests carry codes and signatures: print nothing
				pass

		return Handler
