"""HTTP clients for the suites that drive a running site (imported by conftest and by tests)."""

import json
import os
import re
import subprocess

import requests

BASE_URL = os.environ.get("HS_BASE_URL", "http://127.0.0.1:8000")
DEMO_PASSWORD = "demo1234"


class Client:
	"""A logged-in browser-like session: cookies plus the CSRF token Desk uses."""

	def __init__(self, user: str | None = None, password: str = DEMO_PASSWORD):
		self.http = requests.Session()
		# gunicorn serves every site of the bench: name ours (nginx would route by Host instead)
		self.http.headers["X-Frappe-Site-Name"] = os.environ.get("HS_SITE", "test.localhost")
		self.user = user
		if user:
			response = self.http.post(
				f"{BASE_URL}/api/method/login", data={"usr": user, "pwd": password}, timeout=30
			)
			assert response.status_code == 200, response.text
			if response.json().get("home_page") == "/app":
				self.use_desk_csrf_token()

	def use_desk_csrf_token(self) -> None:
		"""Desk sessions must send the CSRF token the Desk page embeds, as the browser does."""
		page = self.http.get(f"{BASE_URL}/app", timeout=60).text
		match = re.search(r'csrf_token = "([^"]+)"', page)
		assert match, "no CSRF token in the Desk page"
		self.http.headers["X-Frappe-CSRF-Token"] = match.group(1)

	def get(self, path: str, **params):
		return self.http.get(f"{BASE_URL}{path}", params=params, timeout=60)

	def post(self, path: str, **kwargs):
		return self.http.post(f"{BASE_URL}{path}", timeout=60, **kwargs)

	def put(self, path: str, **kwargs):
		return self.http.put(f"{BASE_URL}{path}", timeout=60, **kwargs)

	def call(self, method: str, **data):
		return self.post(f"/api/method/{method}", json=data)


def bench_execute(method: str, **kwargs):
	"""Run a server function through `bench execute` (test setup only); its JSON result."""
	root = os.environ.get("ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
	out = subprocess.run(
		[
			f"{root}/bench-config/bench",
			"--site",
			os.environ.get("HS_SITE", "test.localhost"),
			"execute",
			method,
			"--kwargs",
			repr(kwargs),  # bench execute eval()s it: a Python literal (true/false/null are not)
		],
		capture_output=True,
		text=True,
		check=True,
	).stdout
	start = min((i for i in (out.find("{"), out.find("[")) if i >= 0), default=-1)
	return json.loads(out[start:]) if start >= 0 else None


def server_side_token(user: str, client: str = "WeChat Mini Program") -> str:
	"""A mini-program token minted on the server (test setup only), as a login method would."""
	return bench_execute("home_service.access.tokens.issue_token", user=user, client=client)["token"]


class TokenClient(Client):
	"""A mini-program session: X-HS-Token header, no cookies, no CSRF."""

	def __init__(self, token: str):
		super().__init__()
		self.http.headers["X-HS-Token"] = token


def png(size: int = 8) -> bytes:
	"""A real PNG made by hand (zlib-compressed rows of one colour), no imaging library needed."""
	import struct
	import zlib

	def chunk(kind: bytes, data: bytes) -> bytes:
		return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

	raw = b"".join(b"\x00" + b"\xc8\x1e\x1e" * size for _row in range(size))
	return (
		b"\x89PNG\r\n\x1a\n"
		+ chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
		+ chunk(b"IDAT", zlib.compress(raw))
		+ chunk(b"IEND", b"")
	)


def _redis(*args: str):
	"""One command to the queue Redis (HS_REDIS_QUEUE), spoken in RESP: the suites' Python has no
	Redis client, and two read commands do not need one."""
	import socket
	from urllib.parse import urlparse

	url = urlparse(os.environ.get("HS_REDIS_QUEUE", "redis://127.0.0.1:6379/2"))
	with socket.create_connection((url.hostname, url.port or 6379), timeout=5) as conn:
		stream = conn.makefile("rb")
		for command in (("SELECT", (url.path or "/0").lstrip("/") or "0"), args):
			conn.sendall(b"".join([f"*{len(command)}\r\n".encode()] + [_bulk(a) for a in command]))
			reply = _reply(stream)
		return reply


def _bulk(value: str) -> bytes:
	data = str(value).encode()
	return b"$%d\r\n%s\r\n" % (len(data), data)


def _reply(stream):
	line = stream.readline().rstrip(b"\r\n")
	kind, rest = line[:1], line[1:]
	if kind in (b"+", b"-"):
		return rest.decode()
	if kind == b":":
		return int(rest)
	if kind == b"$":
		return None if int(rest) < 0 else stream.read(int(rest) + 2)[:-2].decode()
	return [_reply(stream) for _ in range(max(int(rest), 0))]  # "*": an array


WORKER_QUEUES = ("short", "default", "long")


def worker_idle(seconds: float = 180, required: bool = True) -> bool:
	"""Wait until the RQ worker has no job queued or running: a test that counts rows site-wide must
	not see an earlier suite's jobs (payment closes, dispatch) land in the middle of it."""
	import time

	def ours(pattern: str) -> list[str]:  # the queues test.sh's worker serves, not the fault suite's
		return [key for key in _redis("KEYS", pattern) if key.rsplit(":", 1)[-1] in WORKER_QUEUES]

	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		queued = sum(_redis("LLEN", key) for key in ours("rq:queue:*"))
		# a started job's score is when it times out: one left by a killed worker soon stops counting
		running = sum(_redis("ZCOUNT", key, str(time.time()), "+inf") for key in ours("rq:wip:*"))
		if not queued and not running:
			return True
		time.sleep(0.5)
	if required:
		raise AssertionError(f"the worker still had jobs after {seconds} s")
	return False
