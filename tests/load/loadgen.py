"""A small closed-loop load generator: N connections (one requests.Session each), each sending its
share of the calls back to back; latency percentiles and throughput of the whole run."""

import statistics
import threading
import time
from dataclasses import dataclass

import requests


@dataclass
class Result:
	label: str
	calls: int
	errors: int
	seconds: float
	p50_ms: float
	p99_ms: float

	@property
	def rate(self) -> float:
		return self.calls / self.seconds if self.seconds else 0.0

	def line(self, baseline: "Result | None" = None) -> str:
		ratio = f"  {self.rate / baseline.rate:6.1%} of ping" if baseline and baseline.rate else ""
		return (
			f"{self.label:<28} {self.calls:>5} calls {self.errors:>4} errors  {self.rate:8.1f}/s"
			f"  p50 {self.p50_ms:7.1f} ms  p99 {self.p99_ms:7.1f} ms{ratio}"
		)


def run(
	label: str, requests_to_send: list, send, connections: int = 8, headers: dict | None = None
) -> Result:
	"""`send(session, item) -> bool` for every item, spread over `connections` threads."""
	latencies, errors, lock = [], [0], threading.Lock()
	shares = [requests_to_send[i::connections] for i in range(connections)]

	def worker(share):
		session = requests.Session()
		session.headers.update(headers or {})
		for item in share:
			start = time.perf_counter()
			good = send(session, item)
			elapsed = (time.perf_counter() - start) * 1000
			with lock:
				latencies.append(elapsed)
				errors[0] += 0 if good else 1

	threads = [threading.Thread(target=worker, args=(share,)) for share in shares if share]
	began = time.perf_counter()
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	seconds = time.perf_counter() - began
	latencies.sort()
	p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
	return Result(
		label, len(latencies), errors[0], seconds, statistics.median(latencies) if latencies else 0.0, p99
	)
