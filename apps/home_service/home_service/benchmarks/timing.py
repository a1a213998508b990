import statistics
import time


def measure(fn, runs: int = 40, warmup: int = 3) -> dict:
	"""Wall time of `fn` in milliseconds over `runs` calls after `warmup` calls."""
	for _ in range(warmup):
		fn()
	samples = []
	for _ in range(runs):
		start = time.perf_counter()
		fn()
		samples.append((time.perf_counter() - start) * 1000)
	samples.sort()
	return {
		"p50": statistics.median(samples),
		"p95": samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)],
		"mean": statistics.fmean(samples),
	}
