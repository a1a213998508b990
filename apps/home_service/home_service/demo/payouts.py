"""The demo city's money after its bookings: rules and prices, settlements, withdrawals, reconciliation.

Everything goes through the services the app runs (see demo/money.py for the fakes and `Stamps`):
- commission rules, a dispatch rule and the recycling price board are entered as staff enter them;
- settlement is the hourly job (`earnings.settle_due`), each earning settled at the first run after its
  settlement delay;
- technicians withdraw part of what was available every couple of weeks (billing.withdrawals):
  finance approves the next morning, WeChat Pay asks the technician to accept, and the transfer ends
  Paid, or Failed / Cancelled (the money goes back); a few are rejected, the latest wait for approval;
- the daily reconciliation job (billing.reconciliation) checks the past week against the fakes, whose
  books differ from ours in the ways the job exists to catch (an order settled for a different
  amount, one the provider has no record of, one paid after we closed it); finance resolved one.
"""

from datetime import datetime, timedelta

import frappe
from frappe.utils import add_days, get_datetime, getdate

from home_service.billing.accounts import Account
from home_service.billing.earnings import settle_due
from home_service.billing.gateways import WECHAT_PAY
from home_service.billing.ledger import ENTRY
from home_service.billing.reconciliation import ITEM, reconcile_day
from home_service.billing.withdrawals import approve, reject, request_withdrawal, submit_payout
from home_service.demo.money import FINANCE, Money, acting_as, ensure_account
from home_service.demo.records import insert, set_per_row

WITHDRAWAL = "HS Withdrawal"
KEY_PREFIX = "demo:"
REJECT_REASON = "提现账户信息待核实，请确认收款账户后重新申请"
RECONCILED_DAYS = 7
RESOLUTION_NOTE = "已与微信支付商户平台账单核对：差额为渠道退回的手续费，已登记入账"


# --- rules and prices ---------------------------------------------------------------------------
def load_rules(money_fixture: dict, clock) -> None:
	"""Commission and dispatch rules, and the recycling price board (each row dated as published)."""
	for row in money_fixture.get("commission_rules", []):
		if not frappe.db.exists("HS Commission Rule", {"rule_name": row["rule_name"]}):
			insert("HS Commission Rule", row)
	for row in money_fixture.get("dispatch_rules", []):
		if not frappe.db.exists("HS Dispatch Rule", row["rule_name"]):
			insert("HS Dispatch Rule", row)
	# exists() without a name looks for a Single: count the rows (a reload after a partial load)
	if frappe.db.count("HS Recycling Price"):
		return
	published = {}
	with acting_as(FINANCE):
		for row in money_fixture.get("recycling_prices", []):
			valid_on = clock.date(row["valid_on"])
			doc = insert("HS Recycling Price", dict(row, valid_on=valid_on, enabled=1))
			# finance publishes the board the afternoon before it applies
			at = datetime.combine(add_days(valid_on, -1), datetime.min.time()) + timedelta(hours=17)
			published[doc.name] = {"creation": min(at, clock.now), "modified": min(at, clock.now)}
	set_per_row("HS Recycling Price", published)


# --- settlement ---------------------------------------------------------------------------------
def settle(clock) -> int:
	"""The hourly job settles every earning whose delay has passed, at the first run after it."""
	since = clock.now
	count = settle_due(limit=100_000)
	run_at = "timestampadd(second, crc32(t.name) %% 120, date_add(date_format(t.settle_after, '%%Y-%%m-%%d %%H:00:00'), interval 1 hour))"
	frappe.db.sql(
		f"""update `tabHS Technician Earning` t set t.settled_on = least({run_at}, %(now)s),
		t.modified = least({run_at}, %(now)s) where t.status = 'Settled' and t.settled_on >= %(since)s""",
		{"since": since, "now": clock.now},
	)
	frappe.db.sql(
		"""update `tabHS Ledger Entry` e join `tabHS Technician Earning` t
		on t.name = e.voucher_no and e.voucher_type = 'HS Technician Earning'
		set e.posted_on = t.settled_on, e.creation = t.settled_on, e.modified = t.settled_on
		where e.posting_key like '%%:settle' and e.posted_on >= %(since)s""",
		{"since": since},
	)
	return count


# --- withdrawals --------------------------------------------------------------------------------
def available_at(technician: str, moment: datetime) -> int:
	"""Technician Available as it stood at `moment` (fen), from the back-dated ledger."""
	value = frappe.db.sql(
		f"""select -coalesce(sum(amount_fen), 0) from `tab{ENTRY}`
		where account = %s and party_type = 'HS Technician' and party = %s and posted_on <= %s""",
		(Account.TECHNICIAN_AVAILABLE, technician, moment),
	)[0][0]
	return int(value or 0)


def withdrawers(count: int) -> list[str]:
	"""The technicians with the most settled earnings (the busiest withdraw first)."""
	return frappe.db.sql_list(
		f"""select party from `tab{ENTRY}` where account = %s and party_type = 'HS Technician'
		group by party order by sum(amount_fen) asc, party limit %s""",
		(Account.TECHNICIAN_AVAILABLE, count),
	)


def plan_withdrawals(config: dict, clock) -> list[tuple[str, datetime]]:
	"""(technician, requested at) pairs: every `every_days`, in the evening, a technician apart."""
	plan = []
	for i, technician in enumerate(withdrawers(int(config["technicians"]))):
		day = getdate(add_days(clock.now, -int(config["first_days_ago"]) + i % int(config["every_days"])))
		while day < clock.now.date():
			at = datetime.combine(day, datetime.min.time()) + timedelta(hours=20, minutes=7 * i % 60)
			if at < clock.now:
				plan.append((technician, at))
			day = add_days(day, int(config["every_days"]))
	return sorted(plan, key=lambda pair: pair[1])


OUTCOMES = (("Rejected", "rejected"), ("FAIL", "failed"), ("CANCELLED", "cancelled"))


def outcome_of(position: int, at: datetime, config: dict, clock) -> str:
	"""What became of the request: recent ones wait for finance; a few refused, failed, not accepted."""
	if clock.now - at < timedelta(days=int(config["pending_days"])):
		return "Pending Approval"
	owed = [outcome for outcome, key in OUTCOMES for _ in range(int(config[key]))]
	# every fifth request, from the fifth, takes the next outcome still owed; the rest are paid
	if position % 5 == 4 and position // 5 < len(owed):
		return owed[position // 5]
	return "SUCCESS"


def withdraw(money: Money, config: dict, clock) -> int:
	"""Each planned request for the share of what was available then, carried through finance and WeChat."""
	if frappe.db.exists(WITHDRAWAL, {"idempotency_key": ("like", f"{KEY_PREFIX}%")}):
		return 0
	made = 0
	for technician, at in plan_withdrawals(config, clock):
		step = int(config["round_to_yuan"])
		yuan = int(available_at(technician, at) * float(config["share_of_available"]) / 100 / step) * step
		if yuan < int(config["minimum_yuan"]):
			continue
		ensure_account("HS Technician", technician, WECHAT_PAY)
		user = frappe.db.get_value("HS Technician", technician, "user") or frappe.session.user
		with money.stamps.at(at), acting_as(user):
			doc = request_withdrawal(technician, yuan, WECHAT_PAY, f"{KEY_PREFIX}{technician}:{at.date()}")
		made += 1
		outcome = outcome_of(made - 1, at, config, clock)
		if outcome != "Pending Approval":
			decide_withdrawal(money, doc.name, outcome, next_morning(at, made, clock))
	return made


def next_morning(at: datetime, n: int, clock) -> datetime:
	return min(
		datetime.combine(at.date() + timedelta(days=1), datetime.min.time())
		+ timedelta(hours=9, minutes=12 + n % 40),
		clock.now - timedelta(minutes=10),
	)


def decide_withdrawal(money: Money, name: str, outcome: str, at: datetime) -> None:
	"""Finance decides; an approved transfer waits for the technician in WeChat, who accepts it (or not)."""
	if outcome == "Rejected":
		with money.stamps.at(at), acting_as(FINANCE):
			reject(name, REJECT_REASON)
		return
	fake = money.fakes[WECHAT_PAY]
	fake.knobs.transfer_state = "WAIT_USER_CONFIRM"
	with money.stamps.at(at):
		with acting_as(FINANCE):
			approve(name)
		submit_payout(name)  # what the payout job does once the approval is committed
	out_bill_no = frappe.db.get_value(WITHDRAWAL, name, "out_bill_no")
	with money.stamps.at(at + timedelta(minutes=6)):
		fake.user_confirms_transfer(out_bill_no, outcome)
		money.webhook(WECHAT_PAY, fake.transfer_notification(out_bill_no))


# --- reconciliation -----------------------------------------------------------------------------
def reconcile(money: Money, clock) -> int:
	"""The daily job over the past week; one item resolved by finance the morning after."""
	if frappe.db.exists(ITEM):
		return 0
	days = [getdate(add_days(clock.now, -n)) for n in range(RECONCILED_DAYS, 0, -1)]
	dropped = disagree(money, days)
	for day in days:
		if knows_day(money, day, dropped):
			with money.stamps.at(min(get_datetime(add_days(day, 1)) + timedelta(minutes=3), clock.now)):
				reconcile_day(day)
	first = frappe.get_all(
		ITEM, {"issue": "Amount Differs"}, pluck="name", order_by="reconciliation_date", limit=1
	)
	if first:
		day = frappe.db.get_value(ITEM, first[0], "reconciliation_date")
		with money.stamps.at(min(get_datetime(add_days(day, 1)) + timedelta(hours=10), clock.now)):
			with acting_as(FINANCE):
				item = frappe.get_doc(ITEM, first[0])
				item.resolved, item.resolution_note = 1, RESOLUTION_NOTE
				item.save(ignore_permissions=True)
	return frappe.db.count(ITEM)


def payments_of(money: Money, days: list) -> list:
	"""The payments of `days` made at the providers the fakes play (not those staff took offline)."""
	return frappe.get_all(
		"HS Payment",
		filters={
			"creation": ["between", [f"{days[0]} 00:00:00", f"{days[-1]} 23:59:59.999999"]],
			"gateway": ["in", list(money.fakes)],
		},
		fields=["name", "gateway", "status", "out_trade_no"],
		order_by="creation",
	)


def provider_book(money: Money, gateway: str) -> dict:
	"""The fake's orders by out_trade_no (WeChat Pay: `orders`, Alipay: `trades`)."""
	fake = money.fakes[gateway]
	return fake.orders if gateway == WECHAT_PAY else fake.trades


def disagree(money: Money, days: list) -> set[str]:
	"""Where the providers' books differ from ours, as the job exists to find; the orders dropped.

	Only orders this load's fakes hold can be made to differ: a resumed load (new fakes), or a site
	that ran tests before its demo was loaded, has payments of those days no fake has seen."""
	book = {gateway: provider_book(money, gateway) for gateway in money.fakes}
	rows = [row for row in payments_of(money, days) if row.out_trade_no in book[row.gateway]]
	paid = [r for r in rows if r.status == "Paid"]
	closed = [r for r in rows if r.status == "Closed"]
	dropped = set()
	if len(paid) > 6:
		# the provider settled one yuan less than we recorded
		order = provider_book(money, paid[2].gateway)[paid[2].out_trade_no]
		if paid[2].gateway == WECHAT_PAY:
			order["amount"]["total"] -= 100
		else:
			order["cents"] -= 100
		# the provider has no record of an order we hold as paid
		provider_book(money, paid[-3].gateway).pop(paid[-3].out_trade_no)
		dropped.add(paid[-3].out_trade_no)
	if closed:
		# the customer completed an order we had closed when they switched method: paid there only
		order = provider_book(money, closed[0].gateway)[closed[0].out_trade_no]
		if closed[0].gateway == WECHAT_PAY:
			order["trade_state"] = "NOTPAY"
		else:
			order["status"] = "WAIT_BUYER_PAY"
		money.fakes[closed[0].gateway].user_pays(closed[0].out_trade_no)
	return dropped


def knows_day(money: Money, day, dropped: set[str]) -> bool:
	"""The fakes hold every order of `day` (a load resumed with new fakes skips the days before)."""
	return all(
		row.out_trade_no in provider_book(money, row.gateway) or row.out_trade_no in dropped
		for row in payments_of(money, [day])
	)
