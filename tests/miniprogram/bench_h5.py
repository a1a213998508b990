"""Figures for the customer H5 app at /m (a benchmark that prints, not a timed test).

	HS_BASE_URL=http://127.0.0.1:8000 HS_SITE=test.localhost .tools/bin/python tests/miniprogram/bench_h5.py

Each page is opened in a new browser context (a cold cache), phone-sized, on loopback:
- time to the home page showing its categories (target ≤ 1.0 s) and to the booking page showing
  arrival windows (target ≤ 1.5 s), as the demo customer;
- JavaScript the first screen loads: raw and gzip-compressed bytes (target ≤ 250 KB gzip; the test
  server sends files uncompressed, nginx compresses them in production);
- the API calls each page makes, and any call repeated on one page.
Also the sizes of the mini-program builds, when they are there (apps/home_service/miniprogram).
"""

import gzip
import os
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hs_client import server_side_token

CHROMIUM = os.environ.get("HS_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(os.environ.get("ROOT", Path(__file__).resolve().parents[2]))
SERVER = urlparse(os.environ.get("HS_BASE_URL", "http://127.0.0.1:8000"))
SITE = os.environ.get("HS_SITE", "test.localhost")
APP = f"http://{SITE}:{SERVER.port or 80}/m"
ITEM = "KITCHEN-CLEAN-02"


def measure(
	browser,
	route: str,
	ready: str,
	session: str | None = None,
	app: str = APP,
	storage_prefix: str = "",
	privacy_key: str = "hs_privacy_accepted",
	settle=lambda page: page.wait_for_load_state("networkidle"),
) -> dict:
	"""One cold load of `route` until `ready` shows: seconds, the JavaScript loaded, the API calls made
	until `settle` returns. `session` (a stored session's JSON) starts the app logged in, under the
	app's storage prefix; an app that polls settles on a short wait instead of network idle."""
	context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
	if session:
		context.add_init_script(
			f"localStorage.setItem('{storage_prefix}hs_session', {session!r});"
			f" localStorage.setItem('{storage_prefix}{privacy_key}', '1')"
		)
	page = context.new_page()
	scripts, calls = [], []
	page.on("response", lambda r: r.request.resource_type == "script" and scripts.append(r))
	page.on(
		"request",
		lambda r: "/api/method/" in r.url and calls.append(r.url.split("/api/method/")[1].split("?")[0]),
	)
	started = time.perf_counter()
	page.goto(f"{app}#/{route}")
	page.locator(ready).first.wait_for(timeout=30_000)
	seconds = time.perf_counter() - started
	settle(page)
	raw = packed = 0
	for response in scripts:
		body = response.body()
		raw += len(body)
		packed += len(gzip.compress(body, 6))
	context.close()
	return {"seconds": seconds, "js_raw": raw, "js_gzip": packed, "js_files": len(scripts), "calls": calls}


def report(name: str, figures: dict, target: float) -> None:
	repeated = {call: n for call, n in Counter(figures["calls"]).items() if n > 1}
	print(
		f"{name}: {figures['seconds']:.2f} s (target ≤ {target} s); JS {figures['js_files']} files, "
		f"{figures['js_raw'] / 1024:.0f} KB raw, {figures['js_gzip'] / 1024:.0f} KB gzip; "
		f"{len(figures['calls'])} API calls {sorted(set(figures['calls']))}"
		+ (f"; REPEATED {repeated}" if repeated else "; none repeated")
	)


def build_sizes() -> None:
	dist = ROOT / "apps" / "home_service" / "miniprogram" / "customer" / "dist" / "build"
	for platform in ("h5", "mp-weixin", "mp-alipay"):
		folder = dist / platform
		if folder.exists():
			size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
			print(f"build {platform}: {size / 1024:.0f} KB")


def main() -> None:
	from playwright.sync_api import sync_playwright

	token = server_side_token("customer@demo.home", "H5")
	session = f'{{"token": "{token}", "expires_on": "2099-01-01 00:00:00"}}'
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(
			executable_path=CHROMIUM, args=[f"--host-resolver-rules=MAP {SITE} {SERVER.hostname}"]
		)
		measure(browser, "pages/index/index", ".categories")  # the server's first request warms it
		report(
			"home with categories", measure(browser, "pages/index/index", ".categories .wd-grid-item"), 1.0
		)
		# the booking page needs the service chosen first: open the service, then book (timed from the tap)
		context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
		context.add_init_script(
			f"localStorage.setItem('hs_session', {session!r}); localStorage.setItem('hs_privacy_accepted', '1')"
		)
		page = context.new_page()
		calls = []
		page.goto(f"{APP}#/pages/service/detail?item={ITEM}")
		page.locator(".book-button").wait_for()
		page.on(
			"request",
			lambda r: "/api/method/" in r.url and calls.append(r.url.split("/api/method/")[1].split("?")[0]),
		)
		started = time.perf_counter()
		page.locator(".book-button").click()
		page.locator(".window").first.wait_for(timeout=30_000)
		seconds = time.perf_counter() - started
		page.wait_for_load_state("networkidle")
		context.close()
		report(
			"booking page with windows",
			{"seconds": seconds, "js_raw": 0, "js_gzip": 0, "js_files": 0, "calls": calls},
			1.5,
		)
		browser.close()
	build_sizes()


if __name__ == "__main__":
	main()
