"""MariaDB and Redis going away for a moment, as in a restart (issue 21).

While a server is unreachable every answer is a success or a 503 that says "retry" — the API's JSON
error shape with Retry-After, and for payment webhooks the answer the provider resends on — never a
500 or an HTML page. Once it is back, the retried requests succeed, nothing is left half-done, the
catalogue and the slots answer at once (no 429 or 422 left over), and the RQ worker works again.

Each test runs its own gunicorn and worker (sandbox.py) whose connections go through proxies that the
test stops and starts; the shared server and the real MariaDB and Redis are never touched.
"""

import os
import random
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from fakes import WeChatPayFake
from fakes.site import hs_settings
from hs_client import bench_execute
from sandbox import Sandbox

API = "/api/method/home_service.api."
ITEM = "KITCHEN-CLEAN-02"  # fixed price, many technicians in the demo city
OUTAGE_SECONDS = 2.0
PUBLIC_LIMIT = 30  # the sandbox's catalogue calls a minute per client (hs_public_rate_limit)
WORKER = os.environ.get("HS_FAULTS_WORKER", "hs-worker")  # `worker` measures Frappe's own


@pytest.fixture(scope="module")
def sandbox():
	with Sandbox(hs_public_rate_limit=PUBLIC_LIMIT) as box:
		yield box


@pytest.fixture(scope="module")
def pay(admin):
	fake = WeChatPayFake()  # its keys only: the site is not asked to call it
	with hs_settings(admin, "HS Payment Settings", **fake.settings()):
		yield fake


@pytest.fixture
def run_data():
	runs = []

	def prepare(customers: int, orders: int) -> dict:
		data = bench_execute(
			"home_service.tests.outage_fixtures.prepare",
			run_id=uuid.uuid4().hex[:8],
			customers=customers,
			orders=orders,
		)
		runs.append(data["run"])
		return data

	yield prepare
	for run in runs:
		bench_execute("home_service.tests.outage_fixtures.remove", run=run)


# --- helpers ------------------------------------------------------------------------------------
class Traffic:
	"""Concurrent clients working through a list of requests while a proxy goes down (a server restart)
	once a quarter of the answers are in, for OUTAGE_SECONDS and at least until `probe`, a request
	sent as it goes down, is answered: so requests certainly met the outage, however busy the machine."""

	def __init__(self, proxy, probe: tuple[str, callable], threads: int = 8):
		self.proxy, self.probe, self.threads = proxy, probe, threads
		self.answers: list[tuple[str, object]] = []  # (kind, response)
		self.probe_answer = None
		self._lock = threading.Lock()

	def run(self, requests_: list[tuple[str, callable]]) -> Counter:
		"""Send each (kind, send); counts of (kind, status)."""

		def send(kind: str, fn):
			response = fn()
			with self._lock:
				self.answers.append((kind, response))

		outage = threading.Thread(target=self._outage, args=(len(requests_) // 4,), daemon=True)
		outage.start()
		try:
			with ThreadPoolExecutor(self.threads) as pool:
				for future in [pool.submit(send, kind, fn) for kind, fn in requests_]:
					future.result()
		finally:
			outage.join(120)
			self.proxy.start()
		return Counter((kind, r.status_code) for kind, r in self.answers)

	def _outage(self, after: int) -> None:
		deadline = time.monotonic() + 60
		while len(self.answers) < after and time.monotonic() < deadline:
			time.sleep(0.05)
		self.proxy.stop()
		try:
			down = time.monotonic()
			kind, fn = self.probe
			self.probe_answer = fn()
			with self._lock:
				self.answers.append((kind, self.probe_answer))
			time.sleep(max(0.0, down + OUTAGE_SECONDS - time.monotonic()))
		finally:
			self.proxy.start()


def retry_all(work: list[tuple[str, callable]], accept: tuple[int, ...]) -> list:
	"""What each request answers when resent until it is accepted (a client honouring Retry-After)."""
	with ThreadPoolExecutor(8) as pool:
		return list(pool.map(lambda item: until_done(item[1], accept), work))


def assert_retry_answer(kind: str, response) -> None:
	"""200/204, or a 503 in the shape the client (or the payment provider) retries on."""
	if response.status_code in (200, 204):
		return
	assert response.status_code == 503, f"{kind}: {response.status_code} {response.text[:300]}"
	assert response.headers.get("Retry-After"), f"{kind}: 503 without Retry-After"
	assert response.headers["Content-Type"].startswith("application/json"), response.text[:300]
	body = response.json()
	if kind == "notify":  # WeChat Pay resends on a non-2xx answer with code FAIL
		assert body["code"] == "FAIL", body
	else:
		assert body["error"]["code"] == "SERVICE_UNAVAILABLE", body


def free_windows(http, sandbox: Sandbox, address: str, wanted: int) -> list[str]:
	"""`wanted` window starts (a window repeated up to its capacity) for ITEM at the address."""
	first = date.today() + timedelta(days=1)
	slots = http.get(
		f"{sandbox.url}{API}customer.bookings.get_slots",
		params={
			"item": ITEM,
			"address": address,
			"date_from": str(first),
			"date_to": str(first + timedelta(6)),
		},
		timeout=30,
	)
	assert slots.status_code == 200, slots.text
	windows = [w for day in slots.json()["message"]["days"] for w in day["windows"] if w["available"]]
	starts = [w["start"] for w in windows for _ in range(min(w["capacity"], 2))]
	if len(starts) < wanted:
		pytest.skip("the demo city has too few free windows this week")
	return starts[:wanted]


def create_booking(sandbox: Sandbox, http, address: str, window: str, key: str):
	body = {
		"items": [{"service_item": ITEM}],
		"address": address,
		"window_start": window,
		"idempotency_key": key,
	}
	return http.post(f"{sandbox.url}{API}customer.bookings.create_booking", json=body, timeout=60)


def until_done(send, accept=(200, 204), seconds: float = 20.0):
	"""Resend as a client that honours Retry-After would (quicker here): the final answer."""
	deadline = time.monotonic() + seconds
	while True:
		response = send()
		if response.status_code in accept or time.monotonic() > deadline:
			return response
		time.sleep(0.5)


def summary(title: str, counts: Counter) -> None:
	print(f"\n{title}: " + ", ".join(f"{kind} {status}×{n}" for (kind, status), n in sorted(counts.items())))


def new_client(sandbox: Sandbox):
	"""A guest of its own: its own rate-limit counters (the sandbox trusts X-Forwarded-For from
	loopback, as a site behind its nginx does: access/client_ip.py)."""
	client = sandbox.session()
	client.headers["X-Forwarded-For"] = f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"
	return client


def catalogue(sandbox: Sandbox, client):
	return client.get(f"{sandbox.url}{API}public.search", params={"q": "清洗"}, timeout=60)


def slots(sandbox: Sandbox, http, address: str):
	first = date.today() + timedelta(days=1)
	params = {"item": ITEM, "address": address, "date_from": str(first), "date_to": str(first + timedelta(2))}
	return http.get(f"{sandbox.url}{API}customer.bookings.get_slots", params=params, timeout=60)


def booking_work(sandbox: Sandbox, customers: list[dict], per_customer: int) -> list[tuple]:
	"""(token, address, window, idempotency key) for bookings that all fit: each free window used at
	most as often as technicians are free in it (the customers live at the same place)."""
	first = customers[0]
	windows = free_windows(
		sandbox.session(first["token"]), sandbox, first["address"], len(customers) * per_customer
	)
	return [
		(
			customers[i % len(customers)]["token"],
			customers[i % len(customers)]["address"],
			window,
			f"fault-{uuid.uuid4().hex}",
		)
		for i, window in enumerate(windows)
	]


def send_booking(sandbox: Sandbox, token: str, address: str, window: str, key: str):
	return create_booking(sandbox, sandbox.session(token), address, window, key)


def assert_nothing_half_done(run: str, bookings: int, paid: int) -> dict:
	report = bench_execute("home_service.tests.outage_fixtures.check", run=run)
	assert report["partial_bookings"] == [], report
	assert report["half_applied_payments"] == [], report
	assert report["bookings"] == bookings, report  # one booking per idempotency key
	assert report["paid_payments"] == paid, report
	assert report["ledger_sum_fen"] == 0, report
	return report


# --- the tests ----------------------------------------------------------------------------------
def test_database_outage_answers_retry_and_leaves_nothing_half_done(sandbox, pay, run_data):
	data = run_data(customers=4, orders=16)
	bookings = booking_work(sandbox, data["customers"], per_customer=4)
	notify_url = f"{sandbox.url}{API}notify.wechatpay"
	paid = [
		(pay.paid_transaction(o["out_trade_no"], o["amount_fen"], o["openid"]), uuid.uuid4().hex)
		for o in data["orders"]
	]

	def notify(transaction: dict, notification_id: str):
		# signed when sent, as WeChat Pay does (a resend: a fresh signature, the same id)
		headers, body = pay.notification("TRANSACTION.SUCCESS", transaction, notification_id=notification_id)
		return sandbox.session().post(notify_url, data=body, headers=headers, timeout=60)

	creates = [("create", lambda b=booking: send_booking(sandbox, *b)) for booking in bookings]
	notifies = [("notify", lambda p=payment: notify(*p)) for payment in paid]
	traffic = Traffic(sandbox.db, probe=("catalogue", lambda: catalogue(sandbox, new_client(sandbox))))
	counts = traffic.run([item for pair in zip(creates, notifies, strict=False) for item in pair])
	summary("database outage", counts)
	for kind, response in traffic.answers:
		assert_retry_answer(kind, response)
	assert traffic.probe_answer.status_code == 503, "the probe did not meet the outage"

	# the client retries each booking with its idempotency key, WeChat Pay resends each notification
	for response in retry_all(creates, accept=(200,)) + retry_all(notifies, accept=(204,)):
		assert response.status_code in (200, 204), response.text
	assert_nothing_half_done(data["run"], bookings=len(bookings) + len(paid), paid=len(paid))


def test_redis_outage_answers_retry_and_nothing_lingers(sandbox, run_data):
	data = run_data(customers=2, orders=0)
	bookings = booking_work(sandbox, data["customers"], per_customer=3)
	customer = data["customers"][0]
	http, guest = sandbox.session(customer["token"]), new_client(sandbox)
	creates = [("create", lambda b=booking: send_booking(sandbox, *b)) for booking in bookings]
	work = []
	for create in creates:
		work += [
			("catalogue", lambda: catalogue(sandbox, guest)),
			("slots", lambda: slots(sandbox, http, customer["address"])),
			create,
			("catalogue", lambda: catalogue(sandbox, guest)),
		]
	traffic = Traffic(sandbox.redis, probe=("catalogue", lambda: catalogue(sandbox, guest)))
	counts = traffic.run(work)
	summary("redis outage", counts)
	for kind, response in traffic.answers:
		assert_retry_answer(kind, response)
	assert (
		traffic.probe_answer.status_code == 503
	), "the probe did not meet the outage (its rate limit needs Redis)"

	# back at once: no rate limit counted against the outage, no cached refusal
	first = until_done(lambda: catalogue(sandbox, guest), accept=(200,), seconds=5)
	assert first.status_code == 200, first.text
	after = Counter()
	for _n in range(5):
		after["catalogue", catalogue(sandbox, guest).status_code] += 1
		after["slots", slots(sandbox, http, customer["address"]).status_code] += 1
	summary("right after the redis outage", after)
	assert set(after) == {("catalogue", 200), ("slots", 200)}, after
	for response in retry_all(creates, accept=(200,)):
		assert response.status_code == 200, response.text
	assert_nothing_half_done(data["run"], bookings=len(bookings), paid=0)


def test_retries_during_an_outage_do_not_use_up_the_rate_limit(sandbox):
	"""A client that retried the catalogue while the database was away is not refused once it is back."""
	categories = f"{sandbox.url}{API}public.categories"
	client = new_client(sandbox)
	sandbox.db.stop()
	try:
		during = Counter(client.get(categories, timeout=30).status_code for _n in range(PUBLIC_LIMIT + 5))
	finally:
		sandbox.db.start()
	after = Counter(client.get(categories, timeout=30).status_code for _n in range(5))
	summary(
		"catalogue retried during a database outage, then after it",
		Counter(
			{**{("during", k): v for k, v in during.items()}, **{("after", k): v for k, v in after.items()}}
		),
	)
	assert set(during) == {503}, during
	assert after == {200: 5}, after


def test_each_kind_of_request_gets_its_503_while_the_database_is_away(sandbox):
	"""Desk a short page (no traceback), Frappe's own API our JSON shape, Alipay's webhook "failure"
	(Alipay resends until the answer is "success")."""
	sandbox.db.stop()
	try:
		desk = sandbox.get("/app")
		login = {"usr": "nobody@outage.test", "pwd": "x"}  # Frappe's own method, reading the database
		frappe_api = sandbox.session().post(f"{sandbox.url}/api/method/login", data=login, timeout=30)
		alipay = sandbox.session().post(
			f"{sandbox.url}{API}notify.alipay", data={"notify_id": "1"}, timeout=30
		)
	finally:
		sandbox.db.start()
	for response in (desk, frappe_api, alipay):
		assert response.status_code == 503, f"{response.url}: {response.status_code} {response.text[:300]}"
		assert response.headers.get("Retry-After"), response.url
	assert desk.headers["Content-Type"].startswith("text/html") and "Traceback" not in desk.text
	assert frappe_api.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
	assert alipay.text != "success"


def test_worker_survives_a_redis_outage(sandbox):
	"""Redis goes away while the worker runs a job (an idle RQ worker retries by itself; a busy one
	quits): the worker is still there afterwards and runs the next job."""
	worker = sandbox.start_worker(WORKER, "--queue", Sandbox.QUEUE)
	try:
		assert sandbox.wait_for_job(sandbox.enqueue_job()), "the worker runs no job:\n" + sandbox.log(
			"worker"
		)
		busy = sandbox.enqueue_job(seconds=2)
		assert sandbox.wait_for_job(busy, "started")
		sandbox.redis.stop()
		time.sleep(4)  # the job ends meanwhile: RQ cannot record it
		sandbox.redis.start()
		time.sleep(2)
		assert worker.poll() is None, "the worker exited:\n" + sandbox.log("worker")[-3000:]
		after = sandbox.enqueue_job()
		assert sandbox.wait_for_job(after, seconds=60), (
			"no job ran after Redis came back:\n" + sandbox.log("worker")[-8000:]
		)
	finally:
		sandbox.redis.start()
		sandbox.stop_process("worker")
