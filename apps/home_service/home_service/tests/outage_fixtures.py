"""Server side of the outage tests (tests/faults): customers who book over HTTP, unpaid bookings with
open WeChat Pay orders to notify about, the check that an outage left nothing half-done, and the
clean-up. Run through `bench execute`; every row belongs to customers named "BENCH <run id>"."""

import frappe

from home_service.access.tokens import issue_token
from home_service.benchmarks import notify_setup
from home_service.tests.factories import make_address, make_customer

# 徐汇区, inside the demo city's service areas (the address tests/mini_program.py gives a customer)
LATITUDE, LONGITUDE = 31.1880, 121.4370


def prepare(run_id: str, customers: int = 4, orders: int = 20) -> dict:
	"""`customers` customers with a login token and an address each, and `orders` unpaid bookings
	with a Created WeChat Pay order (their out_trade_no, amount and payer)."""
	run = f"BENCH {run_id}"
	people = []
	for _n in range(customers):
		customer = make_customer(with_user=True, customer_name=run)
		address = make_address(customer, LATITUDE, LONGITUDE)
		user = frappe.db.get_value("HS Customer", customer, "user")
		people.append({"token": issue_token(user, "WeChat Mini Program")["token"], "address": address})
	frappe.db.commit()
	data = notify_setup.prepare(run_id, count=orders) if orders else {"orders": []}
	return {"run": run, "customers": people, "orders": data["orders"]}


def check(run: str) -> dict:
	"""What an outage may not leave: a booking without its items, events or technician hold, and a
	payment applied by halves (paid without its booking, ledger or notification, or the reverse)."""
	customers = frappe.get_all("HS Customer", filters={"customer_name": run}, pluck="name")
	bookings = frappe.get_all(
		"HS Booking",
		filters={"customer": ["in", customers]},
		fields=["name", "status", "held_technician", "paid_amount", "needs_manual_dispatch"],
	)
	names = [b.name for b in bookings] or [""]
	items = _count_by("HS Booking Item", "parent", names)
	events = _count_by("HS Booking Event", "booking", names)
	partial = [
		b.name
		for b in bookings
		if not items.get(b.name)
		or not events.get(b.name)
		or (b.status == "Pending Payment" and not b.needs_manual_dispatch and not b.held_technician)
	]
	paid_by_booking = {b.name: b.paid_amount for b in bookings}
	payments = frappe.get_all(
		"HS Payment",
		filters={"customer": ["in", customers]},
		fields=["name", "booking", "status", "amount"],
	)
	applied = _count_by(
		"HS Payment Notification", "payment", [p.name for p in payments] or [""], outcome="Applied"
	)
	ledger = _count_by("HS Ledger Entry", "booking", names)
	half_applied = []
	for p in payments:
		paid = p.status == "Paid"
		parts = (
			paid_by_booking.get(p.booking, 0) >= p.amount,
			applied.get(p.name, 0) == 1,
			bool(ledger.get(p.booking)),
		)
		if any(parts) != paid or (paid and not all(parts)):
			half_applied.append(p.name)
	return {
		"bookings": len(bookings),
		"partial_bookings": partial,
		"payments": len(payments),
		"paid_payments": sum(1 for p in payments if p.status == "Paid"),
		"half_applied_payments": half_applied,
		"ledger_sum_fen": frappe.db.sql(
			"select coalesce(sum(amount_fen), 0) from `tabHS Ledger Entry` where booking in %s", [names]
		)[0][0],
	}


def remove(run: str) -> None:
	"""The run's rows, with the tokens, messages and notification logs its bookings made."""
	customers = frappe.get_all("HS Customer", filters={"customer_name": run}, fields=["name", "user"])
	names = [c.name for c in customers] or [""]
	users = [c.user for c in customers if c.user]
	bookings = frappe.get_all("HS Booking", filters={"customer": ["in", names]}, pluck="name") or [""]
	frappe.db.delete("HS Message", {"booking": ["in", bookings]})
	frappe.db.delete("HS Notification Log", {"reference_name": ["in", bookings]})
	frappe.db.delete("HS Notification Log", {"party_name": ["in", names]})
	notify_setup.remove(run)
	if users:
		# disabled, not deleted: Frappe's create_contact job for a new user may still be queued
		frappe.db.delete("HS Access Token", {"user": ["in", users]})
		frappe.db.set_value("User", {"name": ["in", users]}, "enabled", 0)
	frappe.db.commit()


def _count_by(doctype: str, field: str, values: list[str], **filters) -> dict[str, int]:
	return dict(
		frappe.get_all(
			doctype,
			filters={field: ["in", values], **filters},
			fields=[field, "count(*) as n"],
			group_by=field,
			as_list=True,
		)
	)


def enqueue_probe(queue: str, job_id: str, seconds: float = 0) -> str:
	"""A job on `queue` that sleeps `seconds` (the worker test watches it)."""
	frappe.enqueue("frappe.utils.background_jobs.test_job", queue=queue, job_id=job_id, s=seconds)
	return job_id
