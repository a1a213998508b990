"""`bench hs-worker`: Frappe's RQ worker, started again by itself when Redis goes away and comes back.

RQ's Worker retries a lost Redis only while it waits for a job. Anywhere else — registering at start,
the suspension check and heartbeat of its loop, a restarted Redis still loading ("LOADING") — the
error ends its loop, `bench worker` exits and the queues stand still until someone starts it again.
This command runs the same worker as `bench worker` (Frappe's queues, logging, niceness) in a loop:
when it stops without being asked to, it starts again after 1, 2, 4 … 30 seconds (from 1 again
after a minute of work). SIGTERM and SIGINT stop it as they stop `bench worker`: after the job in
hand. A process supervisor (production) still restarts the process if it dies for another reason.
"""

import logging
import os
import signal
import time

from rq import Worker
from rq.logutils import setup_loghandlers
from rq.worker import DequeueStrategy

import frappe
from frappe.utils.background_jobs import get_queue_list, get_redis_conn, set_niceness

BACKOFF_SECONDS = (1, 2, 4, 8, 16, 30)
STEADY_SECONDS = 60  # a worker that ran this long before stopping starts the backoff from the beginning
LOG_FORMAT = "%(asctime)s,%(msecs)03d %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"

log = logging.getLogger("rq.worker")


class StoppableWorker(Worker):
	"""RQ's Worker, remembering that SIGTERM or SIGINT asked it to stop (and not Redis)."""

	stop_asked = False

	def request_stop(self, signum, frame):
		StoppableWorker.stop_asked = True
		super().request_stop(signum, frame)


def run(queue: str | None = None, quiet: bool = False, burst: bool = False) -> None:
	"""Work the queues (comma-separated names; all of Frappe's by default) until asked to stop."""
	if os.environ.get("CI"):
		setup_loghandlers("ERROR")
	set_niceness()
	level = "WARNING" if quiet else "INFO"
	attempt = 0
	while not StoppableWorker.stop_asked:
		started = time.monotonic()
		try:
			worker = StoppableWorker(_queues(queue), connection=_connection())
			worker.work(
				logging_level=level,
				burst=burst,
				date_format=DATE_FORMAT,
				log_format=LOG_FORMAT,
				dequeue_strategy=DequeueStrategy.DEFAULT,
			)
		except Exception as e:  # Redis unreachable while starting or stopping (RQ handles the rest)
			log.warning("Worker stopped: %s: %s", type(e).__name__, e)
		if burst or StoppableWorker.stop_asked:
			return
		if time.monotonic() - started > STEADY_SECONDS:
			attempt = 0
		delay = BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)]
		attempt += 1
		log.warning("Worker stopped without being asked to (Redis away?); starting again in %s s", delay)
		_sleep_unless_stopped(delay)


def _queues(queue: str | None) -> list[str]:
	with frappe.init_site():
		return get_queue_list([q.strip() for q in queue.split(",")] if queue else None, build_queue_name=True)


def _connection():
	# the queue connection Frappe keeps per process: redis-py reconnects it on its next command
	with frappe.init_site():
		return get_redis_conn()


def _sleep_unless_stopped(seconds: float) -> None:
	"""Sleep; SIGTERM or SIGINT meanwhile ends the loop (no job is running)."""

	def stop(signum, frame):
		StoppableWorker.stop_asked = True

	previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
	try:
		deadline = time.monotonic() + seconds
		while not StoppableWorker.stop_asked and time.monotonic() < deadline:
			time.sleep(0.2)
	finally:
		for sig, handler in previous.items():
			signal.signal(sig, handler)
