"""Known data for the report tests: bookings placed on given days with given figures.

Bookings are inserted the normal way, then the figures a report reads (creation, amounts, timestamps,
status) are written straight to the row, as a booking's life would have left them.
"""

import frappe
from frappe.utils import get_datetime

from home_service.tests.factories import (
	make_address,
	make_area,
	make_booking,
	make_customer,
	make_item,
	tomorrow_at,
)


class BookingMaker:
	"""Cheap bookings: one service item for all, a customer (with an address) per `customer()` call."""

	def __init__(self):
		self.item = make_item()
		self.area = make_area()
		self._addresses: dict[str, str] = {}
		self._count = 0

	def customer(self, **kw) -> str:
		name = make_customer(**kw)
		self._addresses[name] = make_address(name)
		return name

	def booking(self, customer: str, created: str, **values) -> str:
		"""A booking of `customer` created at `created`, in this maker's service area, with `values`."""
		doc = make_booking(
			customer=customer,
			address=self._addresses[customer],
			items=[{"service_item": self.item, "quantity": 1}],
			window_start=tomorrow_at(8 + self._count % 10, days=1 + self._count // 10),
		)
		self._count += 1
		values.setdefault("service_area", self.area)
		set_row("HS Booking", doc.name, creation=created, **values)
		return doc.name


def set_row(doctype: str, name: str, **values) -> None:
	if "creation" in values:
		values["creation"] = get_datetime(values["creation"])
	frappe.db.set_value(doctype, name, values, update_modified=False)


def review(booking: str, rating: int, created: str | None = None) -> str:
	"""A published review of a (completed) booking."""
	name = (
		frappe.get_doc({"doctype": "HS Review", "booking": booking, "rating": rating})
		.insert(ignore_permissions=True)
		.name
	)
	if created:
		set_row("HS Review", name, creation=created)
	return name


def complaint(booking: str, opened_on: str, category: str = "Service Quality") -> str:
	"""A complaint about a (paid) booking, opened at `opened_on`."""
	name = (
		frappe.get_doc(
			{"doctype": "HS Complaint", "booking": booking, "category": category, "description": "返工"}
		)
		.insert(ignore_permissions=True)
		.name
	)
	set_row("HS Complaint", name, opened_on=opened_on, creation=opened_on)
	return name
