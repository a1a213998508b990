"""The demo city's money, made by the app's own money services against provider fakes in this process.

While the loader replays a booking's history it calls, at the steps that move money, what the app
itself would have run:

- paying (Pending Payment → Pending Dispatch): `start_payment` opens the order at the WeChat Pay or
  Alipay fake, the customer pays there and the fake's signed webhook goes through
  `billing.notifications.handle`, which captures the payment, posts the ledger and moves the booking;
  now and then the customer first opened an order with the other method (it is closed when they switch);
- cancelling a paid booking: the policy's refund (billing.refunds) is sent to the fake as the refund
  job sends it, when the provider confirmed it (the fixture's Refunded step, else minutes later);
- a refund after completion or from an exception, or of a kept fee: customer service asks for it,
  finance approves it, and it is sent (billing.refunds.request_staff_refund / decide / submit_refund);
- a recycling visit: the collector weighs on site and the pickup is priced from that day's board and
  paid (billing.recycling.record_pickup);
- a phone order paid to staff (demo/data/money.json "offline_payments"): customer service records the
  cash, bank transfer or POS slip as an HS Offline Payment and finance approves it
  (billing.offline_payments), which pays the booking as a provider's answer would; one transfer finance
  could not find is rejected first, one payment still waits for finance, and money of a refund of
  such a payment is handed back and recorded the same way.

The services stamp the current time; `Stamps` moves what they wrote during a step to the step's moment.
"""

import base64
import hashlib
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

import frappe
from frappe.utils import flt, now_datetime

from home_service.billing import offline_payments, recycling
from home_service.billing.gateways import ALIPAY, OFFLINE, WECHAT_PAY, gateway_class
from home_service.billing.gateways.fakes import fake_alipay_pay, fake_wechatpay
from home_service.billing.notifications import handle
from home_service.billing.payments import start_payment
from home_service.billing.refunds import decide, request_staff_refund, submit_refund
from home_service.booking.lifecycle import Status
from home_service.demo.records import insert
from home_service.utils.money import money

CUSTOMER_SERVICE, FINANCE = "service@demo.home", "finance@demo.home"
PAYMENT_NOTES = {"支付宝支付": ALIPAY, "微信支付": WECHAT_PAY}
SWITCH_EVERY = 20  # one customer in this many first opened an order with the other method
# what a step's services wrote, moved to the step's moment; a booking's own rows follow its timeline
MOVED = {
	"HS Payment": "",
	"HS Payment Notification": "",
	"HS Refund": "",
	"HS Ledger Entry": "",
	"HS Technician Earning": "",
	"HS Recycling Pickup": "",
	"HS Recycling Pickup Line": "",
	"HS Booking Photo": "parenttype = 'HS Recycling Pickup'",
	"HS Withdrawal": "",
	"HS Offline Payment": "",
	"HS Reconciliation Item": "",
	"HS Points Entry": "",
	"HS Points Account": "",
	"HS Customer Coupon": "",  # a first completed booking's coupon
	"HS Dispatch Offer": "",
	"HS Dispatch Decision": "",
	"HS Message": "booking is null",  # a booking's messages follow its timeline (loader.Inbox)
	"HS Notification Log": "",
	"Version": "ref_doctype != 'HS Booking'",
}
# the weighing photo the collector takes (the pickup needs one to be paid without review)
WEIGHING_PHOTO = "/assets/home_service/images/demo-weighing.svg"
OFFLINE_REMARKS = {
	"Cash": "客户现金支付，客服代收后交财务",
	"Bank Transfer": "客户银行转账，已发转账截图",
	"POS": "上门刷卡，POS签购单已收",
	"Refund": "已将款项退还客户（原方式退回）",
}
OFFLINE_REJECTION = "财务未查到这笔转账到账，请核对转账流水号后重新登记"


class DemoMoneyError(Exception):
	"""A service did not do what the demo's history says it did: the load stops."""


class Stamps:
	"""Moves the rows a step's services wrote (created or changed since the step began) to its moment.

	The loader is the only writer while it runs, so "since the step began" is exactly that step's work;
	every Datetime value the services stamped is shifted by the same amount (an order's expiry stays 30
	minutes after it, an earning's settlement date 7 days after completion), Date values by the days.
	"""

	def __init__(self, moved: dict[str, str] = MOVED):
		self.statements = [self._statement(doctype, where) for doctype, where in moved.items()]

	@staticmethod
	def _statement(doctype: str, where: str) -> str:
		meta = frappe.get_meta(doctype)
		moments = {
			"creation",
			"modified",
			*(df.fieldname for df in meta.fields if df.fieldtype == "Datetime"),
		}
		days = [df.fieldname for df in meta.fields if df.fieldtype == "Date"]
		sets = [
			f"`{c}` = if(`{c}` >= %(since)s, timestampadd(microsecond, %(us)s, `{c}`), `{c}`)"
			for c in sorted(moments)
		]
		sets += [f"`{c}` = if(`{c}` >= %(day)s, date_add(`{c}`, interval %(days)s day), `{c}`)" for c in days]
		condition = f" and {where}" if where else ""
		return f"update `tab{doctype}` set {', '.join(sets)} where `modified` >= %(since)s{condition}"

	@contextmanager
	def at(self, moment: datetime):
		since = now_datetime()
		yield
		self.move(since, moment)

	def move(self, since: datetime, moment: datetime) -> None:
		params = {
			"since": since,
			"day": since.date(),
			"us": (moment - since) // timedelta(microseconds=1),
			"days": (moment.date() - since.date()).days,
		}
		for statement in self.statements:
			frappe.db.sql(statement, params)  # nosemgrep: table and column names come from the metadata


@contextmanager
def acting_as(user: str):
	"""Act as a demo staff login (who asked, who approved), then as the loader again."""
	previous = frappe.session.user
	frappe.set_user(user if frappe.db.exists("User", user) else previous)
	try:
		yield
	finally:
		frappe.set_user(previous)


def account_id(gateway: str, key: str) -> str:
	"""A stable, realistic-looking id of a demo person at a provider (an openid, an Alipay user id)."""
	digest = hashlib.sha256(f"demo:{gateway}:{key}".encode()).digest()
	if gateway == ALIPAY:
		return "2088" + str(int.from_bytes(digest[:8], "big")).zfill(20)[:12]
	return "o" + base64.urlsafe_b64encode(digest).decode()[:27]


def ensure_account(doctype: str, name: str, gateway: str) -> str:
	"""The person's account at `gateway`, given them as a login with it would (kept once set)."""
	field = gateway_class(gateway).account_field
	value = frappe.db.get_value(doctype, name, field)
	if not value:
		value = account_id(gateway, name)
		frappe.db.set_value(doctype, name, field, value, update_modified=False)
	return value


@dataclass(frozen=True)
class OfflinePlan:
	"""How a phone order was paid to staff."""

	method: str  # HS Offline Payment.method
	rejected_first: bool = False  # a bank transfer finance could not find came first
	pending: bool = False  # recorded, still waiting for finance (the booking is still unpaid)


def plan_offline(config: dict | None, rows: list[dict]) -> dict[str, OfflinePlan]:
	"""Which phone (Offline) orders were paid to staff, by fixture key: one in `every` of those paid,
	methods in turn, the first `rejected` of them with a rejected record first, and the first `pending`
	phone orders still unpaid with their payment waiting for finance. The same on every load."""
	if not config:
		return {}
	phone = [row for row in rows if row.get("source_channel") == "Offline"]
	paid = [row["key"] for row in phone if row["steps"] and row["steps"][0][0] == Status.PENDING_DISPATCH]
	chosen = paid[:: int(config["every"])]
	methods = config["methods"]
	plan = {
		key: OfflinePlan(methods[i % len(methods)], rejected_first=i < int(config["rejected"]))
		for i, key in enumerate(chosen)
	}
	unpaid = [row["key"] for row in phone if row["status"] == Status.PENDING_PAYMENT and not row["steps"]]
	for i, key in enumerate(unpaid[: int(config["pending"])]):
		plan[key] = OfflinePlan(methods[i % len(methods)], pending=True)
	return plan


def offline_reference(method: str, key: str, attempt: int = 0) -> str | None:
	"""A transfer's serial number or a POS slip's number, stable per booking; cash has none."""
	digits = str(int(hashlib.sha256(f"demo:{key}:{attempt}".encode()).hexdigest()[:12], 16))[:10]
	return {"Bank Transfer": f"6217{digits}", "POS": f"POS{digits[:6]}"}.get(method)


class Money:
	"""The money services of one demo load, with the provider fakes they talk to."""

	def __init__(self, wechatpay, alipay):
		self.fakes = {WECHAT_PAY: wechatpay, ALIPAY: alipay}
		self.stamps = Stamps()
		self.offline: dict[str, OfflinePlan] = {}  # fixture key -> how staff took the money (plan_offline)

	# --- paying -------------------------------------------------------------------------------
	@staticmethod
	def gateway_of(note: str | None) -> str:
		return PAYMENT_NOTES.get(note or "", WECHAT_PAY)

	def pay(self, booking: str, gateway: str, switched: bool = False) -> None:
		customer = frappe.db.get_value("HS Booking", booking, "customer")
		ensure_account("HS Customer", customer, gateway)
		if switched:  # an order with the other method first; paying with this one closes it
			other = ALIPAY if gateway == WECHAT_PAY else WECHAT_PAY
			ensure_account("HS Customer", customer, other)
			start_payment(booking, other)
		params = start_payment(booking, gateway)
		self.webhook(gateway, self.fakes[gateway].paid_notification(params["out_trade_no"]))
		if frappe.db.get_value("HS Booking", booking, "payment_status") != "Paid":
			raise DemoMoneyError(f"{booking}: the {gateway} payment was not applied")

	# --- paid to staff --------------------------------------------------------------------------
	def record_offline(self, values: dict, at: datetime | None = None) -> str:
		"""Customer service records money taken or handed back (at `at`, else with the caller's step)."""
		with self.stamps.at(at) if at else nullcontext(), acting_as(CUSTOMER_SERVICE):
			return insert("HS Offline Payment", values).name

	def pay_offline(self, booking: str, key: str, plan: OfflinePlan, since: datetime, at: datetime) -> None:
		"""Customer service records what the customer paid between `since` and `at`; finance approves
		it when the caller's step is stamped (`at`). A rejected transfer comes first if the plan says so."""
		gap = at - since
		amount = frappe.db.get_value("HS Booking", booking, "grand_total")
		if plan.rejected_first:
			method = "Bank Transfer"
			name = self.record_offline(self.offline_values(booking, amount, method, key, 1), since + gap / 4)
			with self.stamps.at(since + gap / 2), acting_as(FINANCE):
				offline_payments.reject(name, OFFLINE_REJECTION)
		name = self.record_offline(
			self.offline_values(booking, amount, plan.method, key), since + gap * 3 / 4
		)
		if plan.pending:
			return
		with acting_as(FINANCE):
			offline_payments.approve(name)
		if frappe.db.get_value("HS Booking", booking, "payment_status") != "Paid":
			raise DemoMoneyError(f"{booking}: the offline payment {name} was not applied")

	@staticmethod
	def offline_values(booking: str, amount, method: str, key: str, attempt: int = 0) -> dict:
		return {
			"payment_type": offline_payments.RECEIVE,
			"booking": booking,
			"amount": amount,
			"method": method,
			"reference": offline_reference(method, key, attempt),
			"remarks": OFFLINE_REMARKS.get(method),
		}

	def hand_back(self, refund: str) -> None:
		"""A refund of money staff took: customer service hands it back and records it, finance approves."""
		row = frappe.db.get_value("HS Refund", refund, ["amount", "payment"], as_dict=True)
		method = frappe.db.get_value("HS Offline Payment", {"payment": row.payment}, "method") or "Cash"
		values = {
			"payment_type": offline_payments.REFUND,
			"refund": refund,
			"amount": row.amount,
			"method": method,
			"reference": offline_reference(method, refund),
			"remarks": OFFLINE_REMARKS["Refund"],
		}
		name = self.record_offline(values)
		with acting_as(FINANCE):
			offline_payments.approve(name)

	def webhook(self, gateway: str, notification) -> None:
		"""Deliver what the provider posts (WeChat Pay: headers and body; Alipay: a form body)."""
		headers, body = notification if gateway == WECHAT_PAY else ({}, notification)
		answer = handle(gateway, headers, body)
		if answer.status_code >= 300 or answer.get_data(as_text=True) == "failure":
			raise DemoMoneyError(f"{gateway} webhook refused: {answer.get_data(as_text=True)}")

	# --- refunds ------------------------------------------------------------------------------
	def submit_refunds(self, booking: str) -> None:
		"""What the refund job does with the booking's refunds waiting for the provider."""
		for name in frappe.get_all(
			"HS Refund", {"booking": booking, "status": "Processing"}, pluck="name", order_by="creation"
		):
			payment = frappe.db.get_value("HS Refund", name, "payment")
			if frappe.db.get_value("HS Payment", payment, "gateway") == OFFLINE:
				self.hand_back(name)  # no provider to call: a person hands the money back
			if submit_refund(name) != "Succeeded":
				raise DemoMoneyError(f"{booking}: refund {name} did not succeed")

	def refund_rest(self, booking: str, reason: str) -> None:
		"""Refund what is left of the payment: asked by customer service, approved by finance."""
		self.submit_refunds(booking)
		paid, refunded = frappe.db.get_value("HS Booking", booking, ["paid_amount", "refunded_amount"])
		left = money(paid) - money(refunded)
		if left <= 0:
			return
		with acting_as(CUSTOMER_SERVICE):
			refund = request_staff_refund(booking, left, reason)
		with acting_as(FINANCE):
			decide(refund.name, approve=True)
		self.submit_refunds(booking)

	# --- recycling ----------------------------------------------------------------------------
	def record_pickup(self, doc, at: datetime, weights: list[dict], by_transfer: bool) -> None:
		"""The collector weighs on site; the pickup is priced from that day's board and paid."""
		if frappe.db.exists(recycling.PICKUP, {"booking": doc.name}):
			return
		payout = "Transfer" if by_transfer else "Wallet"
		if by_transfer:
			ensure_account("HS Customer", doc.customer, WECHAT_PAY)
		photos = [{"image": WEIGHING_PHOTO, "stage": "During"}]
		pickup = recycling.record_pickup(doc, doc.technician, weights, photos, payout=payout, day=at.date())
		if pickup.payout_method == "Transfer" and pickup.payout_status == "Pending":
			self.transfer_pickup(pickup.name)

	def transfer_pickup(self, name: str) -> None:
		"""The transfer job sends it; the customer accepts it in WeChat; WeChat Pay notifies."""
		from home_service.billing.recycling_payouts import submit_transfer

		fake = self.fakes[WECHAT_PAY]
		fake.knobs.transfer_state = "WAIT_USER_CONFIRM"
		submit_transfer(name)
		out_bill_no = frappe.db.get_value(recycling.PICKUP, name, "out_bill_no")
		fake.user_confirms_transfer(out_bill_no, "SUCCESS")
		self.webhook(WECHAT_PAY, fake.transfer_notification(out_bill_no))


def pickup_weights(items: list[dict], key: str) -> list[dict]:
	"""What the scale showed for each waste type booked: near the customer's estimate, in grams."""
	weights: dict[str, float] = {}
	for line in items:
		spec = line.get("spec")
		if not spec:
			continue
		wobble = (int(hashlib.md5(f"{key}:{spec}".encode()).hexdigest()[:6], 16) % 400 - 150) / 1000
		weights[spec] = weights.get(spec, 0) + round(flt(line.get("quantity")) * (1 + wobble), 1)
	return [{"waste_type": spec, "weight_kg": kg} for spec, kg in weights.items() if kg > 0]


@contextmanager
def providers():
	"""The WeChat Pay and Alipay fakes, with this site pointed at them for the block (restored after)."""
	with fake_wechatpay() as wechatpay, fake_alipay_pay() as alipay:
		yield Money(wechatpay, alipay)


def refund_reason(previous: str | None, note: str | None) -> str:
	return note or {Status.COMPLETED: "服务不满意，协商全额退款"}.get(previous, "全额退款")
