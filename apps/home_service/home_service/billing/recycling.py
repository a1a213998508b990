"""Doorstep recycling: the daily price board, what the collector weighs, the payout to the customer.

The collector (the booking's technician) records the weight of each waste type and photos on site;
the platform prices every line from the board of that day (the newest enabled HS Recycling Price per
waste type valid on or before the day), in exact fen. A pickup that looks wrong — one waste type
heavier than `recycling_review_kg`, worth more than `recycling_max_per_pickup`, more than
`recycling_max_per_customer_day` paid to the customer that day, or no photo when photos are
required — goes to Review instead of being paid; finance or operations approve or reject it.

The payout is one ledger transaction per pickup, `<pickup>:recycling-payout` (Dr Recycling Payout,
Cr Customer Wallet for the customer), posted under the customer row lock with the pickup row
locked and checked, so a retried request, a second approval or two approvals at once pay once.
Paid by transfer instead (the customer's choice on site, else `recycling_payout_method`), it credits
Customer Payout Pending and billing/recycling_payouts.py sends the money through the gateway.
Points per kg come from `marketing.points.award_recycling_points`, keyed by the booking (once).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime, nowdate

from home_service.billing.accounts import Account
from home_service.billing.gateways import gateway_class, payout_gateway_names
from home_service.billing.ledger import credit, debit, owed_fen, post
from home_service.billing.settings import earnings_settings
from home_service.booking.lifecycle import Status
from home_service.utils.money import money

PICKUP = "HS Recycling Pickup"
PRICE = "HS Recycling Price"
CUSTOMER = "HS Customer"
DECIDERS = ("HS Finance", "HS Operations Manager", "System Manager")
RECORDABLE = (Status.ARRIVED, Status.IN_SERVICE)
KG = Decimal("0.001")
MAX_KG_PER_LINE = Decimal(10000)
MAX_LINES = 20
PAYOUT_METHODS = ("Wallet", "Transfer")


class RecyclingError(frappe.ValidationError):
	http_status_code = 422


class RecyclingStateError(frappe.ValidationError):
	http_status_code = 409


def price_board(day=None) -> dict[str, Decimal]:
	"""Waste type → price per kg on `day` (today by default)."""
	rows = frappe.get_all(
		PRICE,
		filters={"enabled": 1, "valid_on": ("<=", getdate(day or nowdate()))},
		fields=["waste_type", "price_per_kg"],
		order_by="valid_on desc, creation desc",
	)
	board: dict[str, Decimal] = {}
	for row in rows:
		board.setdefault(row.waste_type, money(row.price_per_kg))
	return board


def is_recycling_booking(booking) -> bool:
	return any(row.get("pricing_model") == "Recycling" for row in booking.items)


def line_fen(price_per_kg: Decimal, weight_kg: Decimal) -> int:
	return int((price_per_kg * weight_kg * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_weight(value) -> Decimal:
	try:
		weight = Decimal(str(value).strip())
	except (InvalidOperation, ValueError):
		weight = None
	if weight is None or not weight.is_finite() or weight <= 0 or weight > MAX_KG_PER_LINE:
		frappe.throw(
			_("Each weight must be more than 0 and at most {0} kg.").format(MAX_KG_PER_LINE), RecyclingError
		)
	if weight != weight.quantize(KG):
		frappe.throw(_("Weights can have at most three decimals (grams)."), RecyclingError)
	return weight


def record_pickup(
	booking, technician: str, lines: list[dict], photos: list[dict], payout: str | None = None, day=None
):
	"""Record (or correct, while it is in review) what was weighed at `booking`; pays when clean.

	`payout` is how the customer wants the money ("Wallet" or "Transfer"); None leaves it to settings.
	`day`: the day the weights were taken, whose board prices them and whose payouts count towards the
	customer's daily cap; today unless the visit is entered later (the demo loader replays its history).
	"""
	if booking.status not in RECORDABLE:
		frappe.throw(_("Weights can be recorded only on site (arrived or in service)."), RecyclingStateError)
	if not is_recycling_booking(booking):
		frappe.throw(_("This booking is not a recycling pickup."), RecyclingStateError)
	if not isinstance(lines, list) or not lines or len(lines) > MAX_LINES:
		frappe.throw(_("Send 1 to {0} weighed waste types.").format(MAX_LINES), RecyclingError)
	choice = payout_choice(booking.customer, payout)
	day = getdate(day or nowdate())
	board = price_board(day)
	rows, seen = [], set()
	for line in lines:
		if not isinstance(line, dict):
			frappe.throw(_("Each line must be an object with waste_type and weight_kg."), RecyclingError)
		waste_type = str(line.get("waste_type") or "").strip()
		if waste_type not in board:
			frappe.throw(_("There is no price for {0} today.").format(waste_type or "?"), RecyclingError)
		if waste_type in seen:
			frappe.throw(_("{0} is listed twice.").format(waste_type), RecyclingError)
		seen.add(waste_type)
		weight = parse_weight(line.get("weight_kg"))
		fen = line_fen(board[waste_type], weight)
		rows.append(
			{
				"waste_type": waste_type,
				"weight_kg": float(weight),
				"price_per_kg": board[waste_type],
				"amount": money(Decimal(fen) / 100),
				"amount_fen": fen,
				"_weight": weight,
			}
		)
	name = frappe.db.get_value(PICKUP, {"booking": booking.name}, "name")
	frappe.db.get_value(CUSTOMER, booking.customer, "name", for_update=True)
	pickup = frappe.get_doc(PICKUP, name, for_update=True) if name else frappe.new_doc(PICKUP)
	if not pickup.is_new() and pickup.status != "Review":
		frappe.throw(_("This pickup is already {0}.").format(_(pickup.status)), RecyclingStateError)
	total_kg = sum((row.pop("_weight") for row in rows), Decimal(0))
	total_fen = sum(row["amount_fen"] for row in rows)
	pickup.update(
		{
			"booking": booking.name,
			"customer": booking.customer,
			"technician": technician,
			"price_date": day,
			"total_kg": float(total_kg),
			"total_amount": money(Decimal(total_fen) / 100),
			"total_fen": total_fen,
			"status": "Review",
			**choice,
		}
	)
	pickup.set("lines", rows)
	pickup.set("photos", [{**photo, "taken_by": frappe.session.user} for photo in photos or []])
	pickup.review_reasons = "\n".join(review_reasons(pickup)) or None
	pickup.flags.ignore_permissions = True
	pickup.save()
	if not pickup.review_reasons:
		pay(pickup.name)
		pickup.reload()
	return pickup


def payout_choice(customer: str, chosen: str | None = None) -> dict:
	"""How a pickup is paid: the customer's choice, else the settings. A transfer needs a gateway
	that pays out and the customer's account there; the settings' default falls back to the wallet."""
	if chosen not in (None, "", *PAYOUT_METHODS):
		frappe.throw(_("Choose the payout: {0}.").format(" / ".join(PAYOUT_METHODS)), RecyclingError)
	settings = earnings_settings()
	wallet = {"payout_method": "Wallet", "payout_gateway": None, "payee_ref": None}
	if (chosen or settings.recycling_payout_method) != "Transfer":
		return wallet
	gateway = settings.recycling_transfer_gateway
	payee = gateway in payout_gateway_names() and gateway_class(gateway).customer_account(customer)
	if payee:
		return {"payout_method": "Transfer", "payout_gateway": gateway, "payee_ref": payee}
	if chosen:
		frappe.throw(
			_("The customer has no {0} account to receive a transfer; pay to the wallet instead.").format(
				_(gateway or "?")
			),
			RecyclingError,
		)
	return wallet


def review_reasons(pickup) -> list[str]:
	settings = earnings_settings()
	reasons = []
	limit_kg = Decimal(str(settings.recycling_review_kg or 0))
	for row in pickup.lines:
		if limit_kg and Decimal(str(row.weight_kg)) > limit_kg:
			reasons.append(
				_("{0}: {1} kg is more than {2} kg.").format(row.waste_type, row.weight_kg, limit_kg)
			)
	cap = money(settings.recycling_max_per_pickup)
	if cap and money(pickup.total_amount) > cap:
		reasons.append(_("The pickup is worth ¥{0}, more than ¥{1}.").format(money(pickup.total_amount), cap))
	day_cap = money(settings.recycling_max_per_customer_day)
	paid_today = paid_today_fen(pickup.customer, exclude=pickup.name, day=pickup.price_date)
	if day_cap and Decimal(paid_today + pickup.total_fen) / 100 > day_cap:
		reasons.append(
			_("The customer would get ¥{0} today, more than ¥{1}.").format(
				money(Decimal(paid_today + pickup.total_fen) / 100), day_cap
			)
		)
	if settings.recycling_require_photo and not pickup.photos:
		reasons.append(_("No photo of the weighing."))
	return reasons


def paid_today_fen(customer: str, exclude: str | None = None, day=None) -> int:
	"""Paid to `customer` by pickups on `day` (today); a locking read (callers hold the customer row lock)."""
	day = getdate(day or nowdate())
	table = frappe.qb.DocType(PICKUP)
	query = (
		frappe.qb.from_(table)
		.select(table.total_fen)
		.where(table.customer == customer)
		.where(table.status == "Paid")
		.where(table.paid_on >= day)
		.where(table.paid_on < add_days(day, 1))
	)
	if exclude:
		query = query.where(table.name != exclude)
	return sum(int(row[0] or 0) for row in query.for_update().run())


def pay(name: str, decided_by: str | None = None):
	"""Credit the customer's wallet for the pickup once; a repeat (retry, re-approval) is a no-op.

	Without `decided_by` (the automatic path) the caps are checked again under the customer lock and
	a pickup that no longer passes goes to Review instead.
	"""
	customer = frappe.db.get_value(PICKUP, name, "customer")
	if not customer:
		frappe.throw(_("Recycling pickup {0} not found.").format(name), frappe.DoesNotExistError)
	frappe.db.get_value(CUSTOMER, customer, "name", for_update=True)
	pickup = frappe.get_doc(PICKUP, name, for_update=True)
	if pickup.status == "Paid":
		return pickup
	if pickup.status != "Review":
		frappe.throw(_("This pickup is already {0}.").format(_(pickup.status)), RecyclingStateError)
	if not decided_by:
		reasons = review_reasons(pickup)
		if reasons:
			pickup.db_set("review_reasons", "\n".join(reasons))
			return pickup
	by_transfer = pickup.payout_method == "Transfer"
	post(
		f"{pickup.name}:recycling-payout",
		[
			debit(Account.RECYCLING_PAYOUT, pickup.total_fen, PICKUP, pickup.name),
			# owed either way; a transfer holds it as pending until the provider pays it out
			credit(
				Account.CUSTOMER_PAYOUT if by_transfer else Account.CUSTOMER_WALLET,
				pickup.total_fen,
				CUSTOMER,
				customer,
			),
		],
		PICKUP,
		pickup.name,
		booking=pickup.booking,
		remarks=f"{pickup.total_kg} kg",
	)
	values = {"status": "Paid", "paid_on": now_datetime()}
	if by_transfer:
		from home_service.billing.recycling_payouts import start_transfer

		values.update(start_transfer(pickup.name))
	else:
		values["payout_status"] = "Credited to Wallet"
	if decided_by:
		values.update(decided_by=decided_by, decided_on=now_datetime())
	if pickup.total_kg and pickup.total_kg > 0:
		values["points_awarded"] = _award_points(customer, pickup)
	pickup.db_set(values)
	return pickup


def _award_points(customer: str, pickup) -> int:
	from home_service.marketing import points

	award = getattr(points, "award_recycling_points", None)
	if not award:
		return 0
	return award(customer, Decimal(str(pickup.total_kg)), pickup.booking)


def _require_decider() -> None:
	if not set(DECIDERS) & set(frappe.get_roles()):
		frappe.throw(_("Only finance or operations can decide recycling reviews."), frappe.PermissionError)


def approve(name: str):
	"""Pay a pickup in review (finance or operations); approving a paid pickup changes nothing."""
	_require_decider()
	return pay(name, decided_by=frappe.session.user)


def reject(name: str, reason: str):
	_require_decider()
	if not (reason or "").strip():
		frappe.throw(_("Give a reason for rejecting the pickup."), RecyclingError)
	customer = frappe.db.get_value(PICKUP, name, "customer")
	frappe.db.get_value(CUSTOMER, customer, "name", for_update=True)
	pickup = frappe.get_doc(PICKUP, name, for_update=True)
	if pickup.status != "Review":
		frappe.throw(_("This pickup is already {0}.").format(_(pickup.status)), RecyclingStateError)
	pickup.db_set(
		{
			"status": "Rejected",
			"decided_by": frappe.session.user,
			"decided_on": now_datetime(),
			"review_reasons": "\n".join(filter(None, [pickup.review_reasons, reason.strip()])),
		}
	)
	return pickup


def wallet_fen(customer: str) -> int:
	return owed_fen(Account.CUSTOMER_WALLET, CUSTOMER, customer)
