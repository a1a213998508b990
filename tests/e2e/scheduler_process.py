"""Frappe's real scheduler process (`bench schedule`), run for the test site alone.

`bench schedule` runs `frappe schedule` (frappe.utils.bench_helper) in the bench's sites directory;
every tick it enqueues the due Scheduled Job Types of every site there whose scheduler is on. The
operator's site has its scheduler on (the setup wizard switches it on), so a scheduler over the
bench's own sites directory would run the operator's jobs and change that site. This runs the same
command in a bench directory of its own (FRAPPE_BENCH_ROOT), made of links to the real files, whose
sites/ lists the test site alone: the scheduler sees one site. It enqueues onto the bench's own RQ
queues (they are named after the bench: its bench_id is kept), where the bench's worker runs the jobs
as usual. Its lock (one scheduler per bench, config/scheduler_process) is its own, so a scheduler
the operator runs for the real bench neither blocks it nor is replaced by it.
"""

import ctypes
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

PR_SET_PDEATHSIG = 1
SHARED_FILES = ("apps.txt", "apps.json")


def _sites_view(sites: Path, site: str, owner: pwd.struct_passwd) -> Path:
	"""A bench whose sites/ lists `site` alone. Frappe skips a site directory that is a link, so the
	site is a real directory whose entries (configuration, logs, locks, files) link to the real ones."""
	view = Path(tempfile.mkdtemp(prefix="hs-scheduler-")) / "sites"
	(view / site).mkdir(parents=True)
	(view.parent / "config").mkdir()  # the scheduler's lock
	(view.parent / "logs").symlink_to(sites.parent / "logs")  # Frappe writes to ../logs
	for name in SHARED_FILES:
		if (sites / name).exists():
			(view / name).symlink_to(sites / name)
	common = json.loads((sites / "common_site_config.json").read_text())
	# the real bench's id, as Frappe derives it from its path: the RQ queue names start with it
	common.setdefault("bench_id", str(sites.parent.resolve()).strip("/").replace("/", "-"))
	(view / "common_site_config.json").write_text(json.dumps(common))
	for entry in (sites / site).iterdir():
		(view / site / entry.name).symlink_to(entry)
	if os.getuid() == 0:  # test.sh runs as root; the scheduler runs as the bench user
		for path in (view.parent, view.parent / "config", view, view / site):
			os.chown(path, owner.pw_uid, owner.pw_gid)
	return view


def _as(owner: pwd.struct_passwd):
	"""In the child: lead a process group, become the bench user, and die with the test process."""

	def prepare():
		os.setsid()
		if os.getuid() == 0:
			os.setgroups([])
			os.setgid(owner.pw_gid)
			os.setuid(owner.pw_uid)
		# after setuid, which clears it: the kernel kills the scheduler if pytest dies without cleanup
		ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

	return prepare


def log_tail(log: Path) -> str:
	return log.read_text(errors="replace")[-3000:]


@contextmanager
def scheduler_for(root: Path, site: str, log: Path):
	"""Run `frappe schedule` in a bench that lists `site` alone; stop it on the way out."""
	sites = root / "sites"
	owner = pwd.getpwuid(sites.stat().st_uid)  # the bench user (bench refuses root)
	view = _sites_view(sites, site, owner)
	with open(log, "wb") as out:
		process = subprocess.Popen(
			[str(root / "env" / "bin" / "python"), "-m", "frappe.utils.bench_helper", "frappe", "schedule"],
			cwd=view,
			env={**os.environ, "HOME": owner.pw_dir, "FRAPPE_BENCH_ROOT": str(view.parent)},
			stdout=out,
			stderr=subprocess.STDOUT,
			preexec_fn=_as(owner),
		)
	try:
		time.sleep(5)  # the command waits half a second, then takes its lock and sleeps a tick
		assert process.poll() is None, f"the scheduler stopped (exit {process.returncode}): {log_tail(log)}"
		yield process
	finally:
		if process.poll() is None:
			os.killpg(process.pid, signal.SIGTERM)
			try:
				process.wait(10)
			except subprocess.TimeoutExpired:
				os.killpg(process.pid, signal.SIGKILL)
				process.wait()
		shutil.rmtree(view.parent, ignore_errors=True)
