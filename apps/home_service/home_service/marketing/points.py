"""Points: an append-only ledger (HS Points Entry); a customer's balance is the sum of their entries.

- earned per whole yuan paid, for a review (once per booking) and per kg recycled;
- redeemed at checkout (value and cap from HS Marketing Settings) and given back when the unpaid
  booking is cancelled;
- earned points expire after `points_validity_days`: the daily job posts negative Expiry entries,
  first in first out (redemptions use up the oldest points first).

Every entry carries a unique `reference_key` ("payment:<booking>", "review:<booking>", ...): posting
the same key twice posts once (the unique index decides). Posting locks the customer's row first,
and every entry moves the customer's HS Points Account total with one conditional UPDATE
(`balance + points >= 0`), so concurrent redemptions can never take the balance below zero.
"""

from decimal import ROUND_DOWN, Decimal

import frappe
from frappe import _
from frappe.utils import add_days, getdate, nowdate

from home_service.marketing.errors import PointsError
from home_service.marketing.locks import affected_rows, lock_customer
from home_service.marketing.settings import get_settings
from home_service.utils.money import FEN, ZERO, money, percent_of

ENTRY, ACCOUNT = "HS Points Entry", "HS Points Account"
EARNING = ("Payment", "Review", "Recycling", "Return", "Adjustment")


def balance(customer: str, lock: bool = False) -> int:
	"""Points `customer` has now: the sum of their entries. With `lock`, under their row lock and as
	the latest committed total (their HS Points Account row, read with a locking read)."""
	if lock:
		lock_customer(customer)
		ensure_account(customer)  # a locking read of a missing row would take a gap lock
		return int(
			frappe.db.sql("select balance from `tabHS Points Account` where name = %s for update", customer)[
				0
			][0]
		)
	total = frappe.db.sql(
		"select coalesce(sum(points), 0) from `tabHS Points Entry` where customer = %s", customer
	)
	return int(total[0][0] or 0)


def ensure_account(customer: str) -> None:
	"""The customer's HS Points Account row, created at 0 when missing (INSERT IGNORE: no gap lock)."""
	now = frappe.utils.now()
	frappe.db.sql(
		"""insert ignore into `tabHS Points Account` (name, customer, balance, creation, modified, owner, modified_by)
		values (%(c)s, %(c)s, 0, %(now)s, %(now)s, 'Administrator', 'Administrator')""",
		{"c": customer, "now": now},
	)


def move_account(customer: str, points: int) -> None:
	"""Add `points` to the customer's running total, refusing (409) what would take it below zero."""
	ensure_account(customer)
	now = frappe.utils.now()
	frappe.db.sql(
		"""update `tabHS Points Account` set balance = balance + %(p)s, modified = %(now)s
		where name = %(c)s and balance + %(p)s >= 0""",
		{"c": customer, "p": int(points), "now": now},
	)
	if affected_rows() != 1:
		have = frappe.db.sql(
			"select balance from `tabHS Points Account` where name = %s for update", customer
		)
		frappe.throw(
			_("Not enough points: the balance is {0}, this entry takes {1}.").format(
				int(have[0][0]) if have else 0, -int(points)
			),
			PointsError,
		)


def post(
	customer: str,
	points: int,
	entry_type: str,
	reference_key: str,
	booking: str | None = None,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	remarks: str | None = None,
) -> str | None:
	"""Insert one entry and return its name; None when the key was posted already (or `points` is 0)."""
	if not points:
		return None
	lock_customer(customer)
	if frappe.db.exists(ENTRY, {"reference_key": reference_key}):
		return None
	doc = frappe.get_doc(
		{
			"doctype": ENTRY,
			"customer": customer,
			"entry_type": entry_type,
			"points": int(points),
			"reference_key": reference_key,
			"booking": booking,
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"remarks": remarks,
		}
	)
	frappe.db.savepoint("hs_points_post")
	try:
		return doc.insert(ignore_permissions=True).name
	except frappe.UniqueValidationError:
		# posted meanwhile by a request whose commit this transaction's snapshot predates
		frappe.db.rollback(save_point="hs_points_post")
		return None


# --- earning ----------------------------------------------------------------------------------
def earn_for_payment(booking) -> str | None:
	"""Points for each whole yuan of `paid_amount` (once per booking)."""
	yuan = int(money(booking.paid_amount).to_integral_value(rounding=ROUND_DOWN))
	points = yuan * get_settings().points_per_yuan
	if points <= 0:
		return None
	return post(
		booking.customer,
		points,
		"Payment",
		f"payment:{booking.name}",
		booking=booking.name,
		reference_doctype="HS Booking",
		reference_name=booking.name,
	)


def on_review_insert(doc, method=None) -> None:
	"""doc_event HS Review after_insert: review points, once per booking."""
	points = get_settings().review_points
	if not doc.booking or not doc.customer or points <= 0:
		return
	post(
		doc.customer,
		points,
		"Review",
		f"review:{doc.booking}",
		booking=doc.booking,
		reference_doctype="HS Review",
		reference_name=doc.name,
	)


def award_recycling_points(customer: str, kg, reference: str) -> int:
	"""Credit points for `kg` recycled (points per kg from settings, rounded down).

	`reference` identifies the pickup (e.g. the HS Booking name): the same reference is credited
	once. Returns the points credited by this call (0 when the reference was credited before).
	"""
	try:
		weight = Decimal(str(kg))
	except Exception:
		weight = Decimal(-1)
	if not weight.is_finite() or weight <= 0:
		frappe.throw(_("The recycled weight must be more than 0 kg."), PointsError)
	if not reference:
		frappe.throw(_("A recycling reference is required."), PointsError)
	points = int((weight * get_settings().recycling_points_per_kg).to_integral_value(rounding=ROUND_DOWN))
	is_booking = bool(frappe.db.exists("HS Booking", reference))
	name = post(
		customer,
		points,
		"Recycling",
		f"recycling:{reference}",
		booking=reference if is_booking else None,
		reference_doctype="HS Booking" if is_booking else None,
		reference_name=reference if is_booking else None,
		remarks=_("{0} kg recycled").format(weight.normalize()),
	)
	return points if name else 0


# --- checkout ---------------------------------------------------------------------------------
def points_value(points: int, settings=None) -> Decimal:
	"""What `points` take off an order, rounded down to the fen."""
	settings = settings or get_settings()
	value = Decimal(int(points)) * settings.yuan_per_100_points / Decimal(100)
	return value.quantize(FEN, rounding=ROUND_DOWN)


def max_points_for(amount: Decimal, settings=None) -> int:
	"""The most points an order of `amount` may take (the max redeem percent of it)."""
	settings = settings or get_settings()
	if settings.yuan_per_100_points <= 0 or amount <= ZERO:
		return 0
	cap = min(percent_of(amount, settings.max_redeem_percent), money(amount))
	return int((cap * 100 / settings.yuan_per_100_points).to_integral_value(rounding=ROUND_DOWN))


def redeem_for_booking(customer: str, points: int, booking: str) -> str | None:
	return post(
		customer,
		-int(points),
		"Redemption",
		f"redeem:{booking}",
		booking=booking,
		reference_doctype="HS Booking",
		reference_name=booking,
	)


def return_for_booking(booking) -> str | None:
	"""Give back what `booking` redeemed (once)."""
	redeemed = frappe.db.get_value(ENTRY, {"reference_key": f"redeem:{booking.name}"}, "points")
	if not redeemed:
		return None
	return post(
		booking.customer,
		-int(redeemed),
		"Return",
		f"return:{booking.name}",
		booking=booking.name,
		reference_doctype="HS Booking",
		reference_name=booking.name,
	)


# --- expiry -----------------------------------------------------------------------------------
def expiring(customer: str, before) -> int:
	"""Points earned that expire before `before` and are not used up yet (first in, first out)."""
	credit = frappe.db.sql(
		"""select coalesce(sum(points), 0) from `tabHS Points Entry`
		where customer = %s and points > 0 and expires_on is not null and expires_on < %s""",
		(customer, before),
	)[0][0]
	debit = frappe.db.sql(
		"select coalesce(-sum(points), 0) from `tabHS Points Entry` where customer = %s and points < 0",
		customer,
	)[0][0]
	return max(int(credit or 0) - int(debit or 0), 0)


def expire_for_customer(customer: str, today=None) -> str | None:
	today = getdate(today or nowdate())
	have = balance(customer, lock=True)
	# never more than the running total: a debit this snapshot cannot see yet already used them
	due = min(expiring(customer, today), have)
	if due <= 0:
		return None
	return post(customer, -due, "Expiry", f"expiry:{customer}:{today}", remarks=_("Points expired"))


def expire_points(today=None) -> int:
	"""Daily: post Expiry entries for every customer with expired, unused points. Returns entries posted."""
	today = getdate(today or nowdate())
	customers = frappe.db.sql(
		"select distinct customer from `tabHS Points Entry` where points > 0 and expires_on < %s",
		today,
		pluck=True,
	)
	posted = 0
	for customer in customers:
		frappe.db.savepoint("hs_points_expiry")
		try:
			posted += 1 if expire_for_customer(customer, today) else 0
		except Exception:
			frappe.db.rollback(save_point="hs_points_expiry")
			frappe.log_error(
				title="Points expiry failed", reference_doctype="HS Customer", reference_name=customer
			)
	return posted


def expiry_date(entry_type: str, points: int):
	days = get_settings().points_validity_days
	if points > 0 and entry_type in EARNING and days > 0:
		return add_days(getdate(nowdate()), days)
	return None
