"""CPU time of the processes a request passes through on this machine (psutil): the site's gunicorn
workers, RQ workers, MariaDB, Redis and this client process, in milliseconds.

Load scripts take a reading before and after a run and divide the difference by the calls: the
machine CPU one call costs, by process (a closed loop at full load is bound by their sum).
"""

import os

import psutil


def component(args: list[str], port: str) -> str | None:
	"""Which measured process a command line is (None: not one of them)."""
	names = [os.path.basename(a) for a in args]
	if not names or names[0] in ("runuser", "sudo", "su"):
		return None
	if "gunicorn" in names[:2]:
		return "gunicorn" if any(a.endswith(f":{port}") for a in args) else None
	if "worker" in args and "frappe" in args:
		return "rq"
	if names[0] in ("mariadbd", "mysqld"):
		return "mariadb"
	if names[0].startswith("redis-server"):
		return "redis"
	return None


class Meter:
	"""`reading()` → {process kind: CPU ms so far}, for the processes alive when the Meter was made
	(a child's CPU counts once it exits, as an RQ job's forked work horse does). `port`: the one
	gunicorn server measured (others on the machine are not)."""

	def __init__(self, port):
		self.processes: dict[str, list[psutil.Process]] = {}
		for process in psutil.process_iter(["cmdline"]):
			kind = component(process.info["cmdline"] or [], str(port))
			if kind:
				self.processes.setdefault(kind, []).append(process)
		self.processes["client"] = [psutil.Process()]

	def reading(self) -> dict[str, float]:
		out = {}
		for kind, processes in self.processes.items():
			total = 0.0
			for process in processes:
				try:
					times = process.cpu_times()
				except psutil.Error:
					continue
				total += times.user + times.system + times.children_user + times.children_system
			out[kind] = total * 1000
		return out

	@staticmethod
	def per_call(before: dict, after: dict, calls: int) -> dict[str, float]:
		return {kind: (after[kind] - before.get(kind, 0)) / max(calls, 1) for kind in after}
