"""A gunicorn (and an RQ worker) of their own for the fault tests, whose MariaDB and Redis traffic goes
through proxies the tests can stop, without disturbing the shared server of the other suites.

Frappe reads its configuration from the sites directory it runs in, so the sandbox is a temporary
sites directory: common_site_config.json and the site's site_config.json are copies pointing at the
proxies (the site's own file wins, so both are rewritten), everything else (apps.txt, assets, the
site's files, logs and locks) is a symlink to the bench's. The processes start with that directory
as their working directory, as bench starts them in `sites/`.
"""

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from proxy import TcpProxy

ROOT = Path(os.environ.get("ROOT") or Path(__file__).resolve().parents[2])
SITE = os.environ.get("HS_SITE", "home.localhost")
# the WSGI application under test (HS_FAULTS_WSGI=frappe.app:application measures Frappe's own)
WSGI = os.environ.get("HS_FAULTS_WSGI", "home_service.wsgi:application")


class Sandbox:
	QUEUE = "hs_faults"  # a queue of its own: no other worker on the same Redis takes its jobs

	def __init__(self, web_workers: int = 2, **site_config):
		self.web_workers = web_workers
		self.extra_config = site_config  # keys for the sandbox's copy of the site's site_config.json
		sites = ROOT / "sites"
		self.common = json.loads((sites / "common_site_config.json").read_text())
		self.site_config = json.loads((sites / SITE / "site_config.json").read_text())
		conf = {**self.common, **self.site_config}
		self.db = TcpProxy(conf.get("db_host") or "127.0.0.1", int(conf.get("db_port") or 3306))
		redis_urls = {
			key: conf[key] for key in ("redis_cache", "redis_queue", "redis_socketio") if conf.get(key)
		}
		targets = {(urlsplit(url).hostname, urlsplit(url).port or 6379) for url in redis_urls.values()}
		assert len(targets) == 1, "the sandbox expects one Redis server for cache and queue"
		self.redis = TcpProxy(*targets.pop())
		self._redis_urls = redis_urls
		self.base: Path | None = None  # a bench-like directory: sites/ of its own, the rest linked
		self.dir: Path | None = None
		self.url = ""
		self._processes: dict[str, subprocess.Popen] = {}

	# --- lifecycle ------------------------------------------------------------------------------
	def __enter__(self) -> "Sandbox":
		try:
			self.db.start()
			self.redis.start()
			self._make_sites_dir()
			self._start_web()
		except BaseException:
			self.close()
			raise
		return self

	def __exit__(self, *exc) -> None:
		self.close()

	def close(self) -> None:
		for name in list(self._processes):
			self.stop_process(name)
		self.db.stop()
		self.redis.stop()
		if self.base:
			shutil.rmtree(self.base, ignore_errors=True)
			self.base = self.dir = None

	# --- processes ------------------------------------------------------------------------------
	def start_worker(self, command: str = "hs-worker", *args: str) -> subprocess.Popen:
		"""An RQ worker of the bench (`bench <command>`) in the sandbox."""
		python = str(ROOT / "env" / "bin" / "python")
		argv = [python, "-m", "frappe.utils.bench_helper", "frappe", command, *args]
		return self._spawn("worker", argv)

	def execute(self, target: str, **kwargs):
		"""`bench execute` in the sandbox (through the proxies); its printed JSON result."""
		python = str(ROOT / "env" / "bin" / "python")
		argv = [python, "-m", "frappe.utils.bench_helper", "frappe", "--site", SITE, "execute", target]
		argv += ["--kwargs", json.dumps(kwargs)]
		if os.geteuid() == 0:
			argv = ["runuser", "-u", _bench_user(), "--", *argv]
		out = subprocess.run(
			argv, cwd=self.dir, capture_output=True, text=True, timeout=120, check=True
		).stdout
		return json.loads(out.strip().splitlines()[-1]) if out.strip() else None

	def enqueue_job(self, seconds: float = 0) -> str:
		"""A job on QUEUE that sleeps `seconds`; its id."""
		job_id = f"hs-faults-{uuid.uuid4().hex}"
		self.execute(
			"home_service.tests.outage_fixtures.enqueue_probe",
			queue=self.QUEUE,
			job_id=job_id,
			seconds=seconds,
		)
		return job_id

	def wait_for_job(self, job_id: str, status: str = "finished", seconds: float = 30) -> bool:
		"""Whether the job reached `status` (e.g. started, finished) within `seconds`, as RQ recorded
		it in the real Redis (read directly: the proxy may be down)."""
		deadline = time.monotonic() + seconds
		while time.monotonic() < deadline:
			if self.job_status(job_id) == status:
				return True
			time.sleep(0.2)
		return False

	def job_status(self, job_id: str) -> str | None:
		url = urlsplit(self._redis_urls["redis_queue"])
		db = int(url.path.strip("/") or 0)
		key = f"rq:job:{SITE}::{job_id}"
		with socket.create_connection((url.hostname, url.port or 6379), timeout=5) as conn:
			replies = conn.makefile("rb")
			for command in (("SELECT", str(db)), ("HGET", key, "status")):
				conn.sendall(_resp(command))
				reply = replies.readline()
				if reply.startswith(b"$") and reply != b"$-1\r\n":
					value = replies.readline().rstrip(b"\r\n").decode()
		return value if reply.startswith(b"$") and reply != b"$-1\r\n" else None

	def stop_process(self, name: str) -> None:
		process = self._processes.pop(name, None)
		if not process or process.poll() is not None:
			return
		try:
			os.killpg(process.pid, signal.SIGTERM)
			process.wait(timeout=15)
		except subprocess.TimeoutExpired:
			os.killpg(process.pid, signal.SIGKILL)
			process.wait(timeout=15)
		except ProcessLookupError:
			pass

	def process(self, name: str) -> subprocess.Popen | None:
		return self._processes.get(name)

	def log(self, name: str) -> str:
		path = self.dir / f"{name}.log" if self.dir else None
		return path.read_text(errors="replace") if path and path.exists() else ""

	def _start_web(self) -> None:
		port = _free_port()
		gunicorn = str(ROOT / "env" / "bin" / "gunicorn")
		argv = [gunicorn, "-b", f"127.0.0.1:{port}", "-w", str(self.web_workers), "-t", "60", WSGI]
		self._spawn("web", argv)
		self.url = f"http://127.0.0.1:{port}"
		deadline = time.monotonic() + 60
		while time.monotonic() < deadline:
			try:
				if self.get("/api/method/ping").status_code == 200:
					return
			except requests.ConnectionError:
				pass
			time.sleep(0.5)
		raise AssertionError("the sandbox's gunicorn did not answer:\n" + self.log("web")[-3000:])

	def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
		if os.geteuid() == 0:  # bench refuses root; the bench's files belong to its user
			argv = ["runuser", "-u", _bench_user(), "--", *argv]
		out = open(self.dir / f"{name}.log", "ab")
		process = subprocess.Popen(
			argv,
			cwd=self.dir,
			stdout=out,
			stderr=subprocess.STDOUT,
			stdin=subprocess.DEVNULL,
			start_new_session=True,
		)
		out.close()
		self._processes[name] = process
		return process

	# --- the sites directory --------------------------------------------------------------------
	def _make_sites_dir(self) -> None:
		sites = ROOT / "sites"
		self.base = Path(tempfile.mkdtemp(prefix="hs-faults-"))
		self.base.chmod(0o755)
		for name in ("apps", "config", "env", "logs"):  # Frappe finds some of them at ../ of the sites
			if (ROOT / name).exists():
				(self.base / name).symlink_to(ROOT / name)
		self.dir = self.base / "sites"
		self.dir.mkdir()
		for name in ("apps.txt", "apps.json", "assets"):
			if (sites / name).exists():
				(self.dir / name).symlink_to(sites / name)
		redis = {key: self._through_proxy(url) for key, url in self._redis_urls.items()}
		db = {"db_host": "127.0.0.1", "db_port": self.db.port}
		workers = {**self.common.get("workers", {}), self.QUEUE: {"timeout": 120}}
		_write(self.dir / "common_site_config.json", {**self.common, **db, **redis, "workers": workers})
		site = self.dir / SITE
		site.mkdir()
		for entry in (sites / SITE).iterdir():
			if entry.name != "site_config.json":
				(site / entry.name).symlink_to(entry)
		overrides = {
			key: value for key, value in {**db, **redis}.items() if key in self.site_config or key in db
		}
		_write(site / "site_config.json", {**self.site_config, **overrides, **self.extra_config})
		if os.geteuid() == 0:
			user = pwd.getpwnam(_bench_user())
			for path in (self.base, self.dir, site, *self.dir.glob("*.json"), *site.glob("*.json")):
				os.lchown(path, user.pw_uid, user.pw_gid)

	def _through_proxy(self, url: str) -> str:
		parts = urlsplit(url)
		auth = parts.netloc.rpartition("@")[0]
		netloc = f"{auth}@" if auth else ""
		return urlunsplit(parts._replace(netloc=f"{netloc}127.0.0.1:{self.redis.port}"))

	# --- HTTP -----------------------------------------------------------------------------------
	def session(self, token: str | None = None) -> requests.Session:
		http = requests.Session()
		http.headers["X-Frappe-Site-Name"] = SITE
		if token:
			http.headers["X-HS-Token"] = token
		return http

	def get(self, path: str, **kwargs) -> requests.Response:
		return self.session().get(self.url + path, timeout=30, **kwargs)


def _resp(command: tuple[str, ...]) -> bytes:
	"""A Redis command in the protocol's own words (no client library in the test environment)."""
	parts = [f"*{len(command)}\r\n".encode()]
	for arg in command:
		data = arg.encode()
		parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
	return b"".join(parts)


def _free_port() -> int:
	with socket.socket() as probe:
		probe.bind(("127.0.0.1", 0))
		return probe.getsockname()[1]


def _bench_user() -> str:
	return os.environ.get("HS_BENCH_USER") or pwd.getpwuid((ROOT / "sites").stat().st_uid).pw_name


def _write(path: Path, data: dict) -> None:
	path.write_text(json.dumps(data, indent=1, sort_keys=True))
