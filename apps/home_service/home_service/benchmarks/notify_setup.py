"""Server side of the webhook benchmark (tests/load/bench_notify.py): unpaid bookings with open
WeChat Pay orders to notify about, the check that nothing was credited twice, and the clean-up.

Run through `bench execute`; every row belongs to one synthetic customer named by the run id.
"""

import frappe
from frappe.utils import add_to_date, now_datetime

from home_service.billing.keys import mint
from home_service.devtools.records import make_address, make_customer, tomorrow_at


def prepare(run_id: str, count: int = 1000, item: str = "KITCHEN-CLEAN-02") -> dict:
	"""`count` unpaid bookings, each with a Created WeChat Pay order; their out_trade_no and amount."""
	orders = []
	for n in range(count):
		# one customer each, as real webhooks are: paying locks the customer's coupon and points rows
		customer = make_customer(customer_name=f"BENCH {run_id}", wechat_openid=f"o-bench-{run_id}-{n}")
		address = make_address(customer)
		booking = frappe.get_doc(
			{
				"doctype": "HS Booking",
				"customer": customer,
				"address": address,
				"window_start": tomorrow_at(9 + n % 9, days=1 + n // 100),
				"items": [{"service_item": item, "quantity": 1}],
				"needs_manual_dispatch": 1,  # no dispatch job per paid booking: this measures webhooks
				"internal_note": f"BENCH {run_id}",
			}
		)
		booking.flags.skip_capacity_hold = True
		booking.insert(ignore_permissions=True)
		fen = int(booking.grand_total * 100)
		payment = frappe.get_doc(
			{
				"doctype": "HS Payment",
				"booking": booking.name,
				"customer": customer,
				"gateway": "WeChat Pay",
				"status": "Created",
				"out_trade_no": mint("HS"),
				"amount": booking.grand_total,
				"amount_fen": fen,
				"expires_on": add_to_date(now_datetime(), hours=2),
				"client_params": "{}",
			}
		).insert(ignore_permissions=True)
		orders.append(
			{"out_trade_no": payment.out_trade_no, "amount_fen": fen, "openid": f"o-bench-{run_id}-{n}"}
		)
		if n % 100 == 99:
			frappe.db.commit()
	frappe.db.commit()
	return {"run": f"BENCH {run_id}", "orders": orders}


def _customers(run: str) -> list[str]:
	return frappe.get_all("HS Customer", filters={"customer_name": run}, pluck="name")


def verify(run: str) -> dict:
	"""What the run left behind: payments paid, ledger postings, and any booking credited twice."""
	customers = _customers(run)
	bookings = frappe.get_all(
		"HS Booking", filters={"customer": ["in", customers]}, fields=["name", "paid_amount", "grand_total"]
	)
	names = [b.name for b in bookings]
	payments = frappe.get_all("HS Payment", filters={"booking": ["in", names]}, pluck="name")
	entries = frappe.get_all(
		"HS Ledger Entry", filters={"booking": ["in", names]}, fields=["posting_key", "amount_fen"]
	)
	return {
		"bookings": len(bookings),
		"paid_payments": frappe.db.count("HS Payment", {"customer": ["in", customers], "status": "Paid"}),
		"applied_notifications": frappe.db.count(
			"HS Payment Notification", {"payment": ["in", payments], "outcome": "Applied"}
		),
		"credited_twice": sum(1 for b in bookings if b.paid_amount > b.grand_total),
		"ledger_postings": len({e.posting_key for e in entries}),
		"ledger_sum_fen": sum(e.amount_fen for e in entries),
	}


def remove(run: str) -> None:
	"""Delete the run's rows directly: benchmark data only, so the ledger's append-only rule is
	bypassed on purpose for these synthetic postings."""
	customers = _customers(run)
	bookings = frappe.get_all("HS Booking", filters={"customer": ["in", customers]}, pluck="name")
	payments = frappe.get_all("HS Payment", filters={"customer": ["in", customers]}, pluck="name")
	for chunk in (bookings[i : i + 500] for i in range(0, len(bookings), 500)):
		frappe.db.delete("HS Ledger Entry", {"booking": ["in", chunk]})
		frappe.db.delete("HS Booking Event", {"booking": ["in", chunk]})
		frappe.db.delete("HS Booking Item", {"parent": ["in", chunk]})
		frappe.db.delete("HS Booking Charge", {"parent": ["in", chunk]})
		frappe.db.delete("Workflow Action", {"reference_name": ["in", chunk]})
		frappe.db.delete("HS Booking", {"name": ["in", chunk]})
	for chunk in (payments[i : i + 500] for i in range(0, len(payments), 500)):
		frappe.db.delete("HS Payment Notification", {"payment": ["in", chunk]})
		frappe.db.delete("HS Payment", {"name": ["in", chunk]})
	for table in ("HS Points Entry", "HS Points Account", "HS Customer Coupon", "HS Customer Address"):
		frappe.db.delete(table, {"customer": ["in", customers]})
	frappe.db.delete("HS Customer", {"name": ["in", customers]})
	frappe.db.commit()
