"""What the customer's booking endpoints accept: items, dates, windows, the idempotency key and the
channel, checked and cleaned (api/customer/bookings.py). Bad input is a 422 (InvalidInputError) with a
message the mini-program shows as it is; a window we do not offer is a SchedulingError.
"""

import math
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import get_datetime, get_system_timezone

from home_service.access.tokens import token_client
from home_service.api.customer.scope import ConflictError
from home_service.scheduling.availability import SchedulingError, bookable_window, windows_for_day
from home_service.scheduling.settings import get_settings
from home_service.utils.text import InvalidInputError, clean_name, clean_text

MAX_ITEMS, MAX_QUANTITY = 10, 1000
IDEMPOTENCY_HEADERS = ("Idempotency-Key", "X-Idempotency-Key")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")
CHANNELS = ("WeChat Mini Program", "Alipay Mini Program", "H5")


def invalid(message: str) -> None:
	frappe.throw(message, InvalidInputError, title=_("Invalid input"))


def conflict(message: str) -> None:
	frappe.throw(message, ConflictError)


def parse_items(items) -> list[dict]:
	"""[{service_item, spec, quantity}] with nothing else: prices and names come from the catalogue."""
	if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
		invalid(_("Send between 1 and {0} items.").format(MAX_ITEMS))
	rows = []
	for row in items:
		if not isinstance(row, dict):
			invalid(_("Each item must be an object with service_item, spec and quantity."))
		quantity = row.get("quantity", 1)
		if quantity in (None, ""):
			quantity = 1
		if isinstance(quantity, bool) or not isinstance(quantity, int | float | str):
			invalid(_("Quantity must be a number."))
		try:
			quantity = float(quantity)
		except ValueError:
			invalid(_("Quantity must be a number."))
		if not math.isfinite(quantity) or not 0 < quantity <= MAX_QUANTITY:
			invalid(_("Quantity must be more than 0 and at most {0}.").format(MAX_QUANTITY))
		rows.append(
			{
				"service_item": clean_name(row.get("service_item"), "Service item"),
				"spec": clean_text(row.get("spec"), "Specification", 140),
				"quantity": int(quantity) if quantity.is_integer() else quantity,
			}
		)
	return rows


def parse_datetime(value, label: str) -> datetime:
	if not isinstance(value, str) or not 8 <= len(value.strip()) <= 40:
		invalid(_("{0} must be a date and time like 2026-01-31 14:00:00.").format(label))
	try:
		moment = get_datetime(value.strip())
	except Exception:
		moment = None
	if not isinstance(moment, datetime):
		invalid(_("{0} must be a date and time like 2026-01-31 14:00:00.").format(label))
	if moment.tzinfo:
		moment = moment.astimezone(ZoneInfo(get_system_timezone())).replace(tzinfo=None)
	return moment


def parse_date(value, label: str):
	if value in (None, ""):
		return None
	if not isinstance(value, str) or len(value) > 10:
		invalid(_("{0} must be a date like 2026-01-31.").format(label))
	try:
		return datetime.strptime(value, "%Y-%m-%d").date()
	except ValueError:
		invalid(_("{0} must be a date like 2026-01-31.").format(label))


def parse_window(value) -> datetime:
	"""The start of one of the arrival windows we offer, far enough ahead and inside the horizon."""
	if not value:
		invalid(_("Choose an arrival window, or ask for a technician to come now."))
	start = parse_datetime(value, "window_start")
	settings = get_settings()
	if start not in {begin for begin, _end in windows_for_day(start.date(), settings)}:
		frappe.throw(_("{0} is not the start of an arrival window.").format(str(start)), SchedulingError)
	if not bookable_window(start, settings):
		frappe.throw(_("This arrival window can no longer be booked or is too far ahead."), SchedulingError)
	return start


def serviceable(place):
	if not place.service_area:
		frappe.throw(_("This address is outside our service areas."), SchedulingError)
	return place


def request_header(name: str) -> str | None:
	request = getattr(frappe.local, "request", None)
	return request.headers.get(name) if request is not None else None


def idempotency_key_of(value: str | None) -> str:
	for header in IDEMPOTENCY_HEADERS:
		value = value or request_header(header)
	if not value or not isinstance(value, str) or not IDEMPOTENCY_KEY.match(value):
		invalid(_("Send an idempotency_key (8 to 64 letters, digits or _.:-) with every new booking."))
	return value


def request_channel() -> str:
	"""The channel is the client the caller logged in with, never what the request claims."""
	client = token_client()
	return client if client in CHANNELS else "Other" if client else "H5"
