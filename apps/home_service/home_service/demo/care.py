"""The demo city's after-sales and people side (demo/data/care.json), made by the app's own services.

- coupon templates, entered by operations before the customers sign up, so the registration coupon is
  issued as each customer registers and the first-completion coupon as each first booking completes
  (marketing/coupons.py); a few customers claim the seasonal coupon;
- customers rate one in `every` completed booking (HS Review: the technician's rating, review points);
  a technician appeals the worst review and operations upholds it;
- complaints about some of those bookings, taken up, resolved (one compensated with a coupon,
  quality/service.py) or closed by customer service, the latest still open;
- penalties operations applied to technicians' earnings (billing/penalties.py), appealed by the
  technician (HS Appeal) and upheld (the penalty is waived), rejected or still pending; a draft;
- technicians' leave in the past and ahead, on days they had no job;
- the demo customer and technician logins have signed in to their apps (HS Access Token).

Each is moved to its moment in the history with `Stamps`, as the money is (demo/money.py).
"""

import hashlib
from datetime import datetime, timedelta

import frappe
from frappe.utils import add_days, get_datetime

from home_service.access.tokens import issue_token
from home_service.billing import penalties
from home_service.booking.lifecycle import Status
from home_service.demo.money import CUSTOMER_SERVICE, Stamps, acting_as
from home_service.demo.records import Clock, insert
from home_service.marketing.coupons import claim_coupon
from home_service.quality.service import compensate_with_coupon

OPERATIONS = "ops@demo.home"
TEMPLATE = "HS Coupon Template"
# what these steps write, moved to their moment
MOVED = {
	"HS Review": "",
	"HS Complaint": "",
	"HS Appeal": "",
	"HS Technician Penalty": "",
	"HS Technician Leave": "",
	"HS Customer Coupon": "",
	"HS Ledger Entry": "",
	"HS Points Entry": "",
	"HS Points Account": "",
	"HS Message": "",
	"HS Notification Log": "",
	"HS Access Token": "",
	"Comment": "",
	"Version": "ref_doctype != 'HS Booking'",
}


def pick(key: str, n: int) -> int:
	"""A stable choice among `n` for `key`."""
	return int(hashlib.md5(key.encode()).hexdigest()[:8], 16) % n


# --- before the customers -------------------------------------------------------------------------
def load_coupon_templates(rows: list[dict], clock: Clock) -> None:
	with acting_as(OPERATIONS):
		for row in rows:
			if frappe.db.exists(TEMPLATE, {"template_name": row["template_name"]}):
				continue
			values = {k: v for k, v in row.items() if not k.endswith("_days") or k == "valid_days"}
			for field in ("valid_from", "valid_to"):
				if f"{field}_days" in row:
					values[field] = datetime.combine(
						clock.date(str(add_days(clock.reference.date(), row[f"{field}_days"]))),
						datetime.min.time(),
					)
			insert(TEMPLATE, values)


def template_named(name: str) -> str | None:
	return frappe.db.get_value(TEMPLATE, {"template_name": name})


# --- after the bookings ---------------------------------------------------------------------------
def load(config: dict, clock: Clock) -> None:
	"""Everything after the bookings, once (the reviews mark it done)."""
	if frappe.db.count("HS Review"):  # exists() without a name looks for a Single
		return
	stamps = Stamps(MOVED)
	claims(config["claims"], stamps, clock)
	reviews = review_bookings(config["reviews"], stamps, clock)
	complaints(config["complaints"], reviews, stamps, clock)
	penalize(config["penalties"], stamps, clock)
	leave(config["leave"], stamps, clock)
	with stamps.at(clock.now - timedelta(hours=2)):
		for row in config["app_logins"]:
			if frappe.db.exists("User", row["user"]):
				issue_token(row["user"], row["client"])


def completed(before: datetime) -> list:
	"""Demo bookings completed before `before`, oldest first."""
	filters = {
		"idempotency_key": ("like", "demo:%"),
		"status": Status.COMPLETED,
		"completed_on": ("<", before),
	}
	return frappe.get_all(
		"HS Booking",
		filters=filters,
		fields=["name", "customer", "technician", "completed_on", "idempotency_key"],
		order_by="completed_on asc",
	)


def claims(config: dict, stamps: Stamps, clock: Clock) -> None:
	"""Customers who took the seasonal coupon in the mini-program since it was offered."""
	template = template_named(config["template"])
	if not template:
		return
	starts = get_datetime(frappe.db.get_value(TEMPLATE, template, "valid_from"))
	customers = frappe.get_all("HS Customer", filters={"status": "Active"}, pluck="name", order_by="name")
	for i, customer in enumerate(customers[:: max(len(customers) // int(config["customers"]), 1)]):
		at = min(starts + timedelta(hours=9 + 13 * i), clock.now - timedelta(minutes=30))
		with stamps.at(at):
			claim_coupon(template, customer)


def review_bookings(config: dict, stamps: Stamps, clock: Clock) -> list:
	"""One in `every` completed booking rated by its customer hours after completion; the reviews."""
	ratings, comments = config["ratings"], config["comments"]
	made = []
	done = completed(before=clock.now - timedelta(minutes=30))
	for i, booking in enumerate(done[int(config["skip"]) :: int(config["every"])]):
		rating = ratings[i % len(ratings)]
		texts = comments[str(rating)]
		at = min(
			get_datetime(booking.completed_on) + timedelta(hours=1 + pick(booking.name, 20)),
			clock.now - timedelta(minutes=5),
		)
		with stamps.at(at):
			review = insert(
				"HS Review",
				{
					"booking": booking.name,
					"rating": rating,
					"content": texts[pick(booking.name + "c", len(texts))],
				},
			)
		made.append(frappe._dict(booking=booking, review=review.name, rating=rating, at=at))
	worst = [r for r in made if r.rating == 1]
	if worst:
		appeal_review(worst[0], config["appeal"], stamps, clock)
	return made


def appeal_review(row, config: dict, stamps: Stamps, clock: Clock) -> None:
	"""The technician appeals the review; operations upholds it the next day (the review is hidden)."""
	technician_user = frappe.db.get_value("HS Technician", row.booking.technician, "user")
	with stamps.at(row.at + timedelta(hours=3)), acting_as(technician_user or "Administrator"):
		doc = frappe.get_doc("HS Review", row.review)
		doc.update({"appeal_status": "Pending", "appeal_reason": config["reason"]})
		doc.save(ignore_permissions=True)
	with stamps.at(min(row.at + timedelta(days=1), clock.now - timedelta(minutes=4))):
		with acting_as(OPERATIONS):
			doc = frappe.get_doc("HS Review", row.review)
			doc.update({"appeal_status": "Upheld"})
			doc.add_comment("Comment", config["resolution"])
			doc.save(ignore_permissions=True)


def complaints(rows: list[dict], reviews: list, stamps: Stamps, clock: Clock) -> None:
	"""Complaints about the lowest rated bookings (the open ones about the latest), as customers file
	them in the mini-program and customer service works them in Desk."""
	low = sorted(reviews, key=lambda r: (r.rating, r.at))
	closed = [r for r in low if r.rating <= 3][: len(rows)]
	recent = sorted(reviews, key=lambda r: r.at)[-len(rows) :]
	used = set()
	for row in rows:
		pool = recent[::-1] if row["status"] == "Open" else closed + recent
		target = next((r for r in pool if r.booking.name not in used), None)
		if not target:
			return
		used.add(target.booking.name)
		opened = min(target.at + timedelta(minutes=20), clock.now - timedelta(minutes=4))
		with stamps.at(opened):
			doc = insert(
				"HS Complaint",
				{
					"booking": target.booking.name,
					"category": row["category"],
					"description": row["description"],
				},
			)
		if row["status"] == "Open":
			continue
		taken = min(opened + timedelta(hours=2), clock.now - timedelta(minutes=3))
		with stamps.at(taken), acting_as(CUSTOMER_SERVICE):
			doc.reload()
			doc.status = "In Progress"
			doc.save(ignore_permissions=True)
		if row["status"] == "In Progress":
			continue
		resolved = min(opened + timedelta(days=1), clock.now - timedelta(minutes=2))
		with stamps.at(resolved), acting_as(CUSTOMER_SERVICE):
			if row.get("compensate"):
				compensate_with_coupon(doc.name, template_named(row["compensate"]))
			doc.reload()
			doc.update({"status": "Resolved", "resolution": row["resolution"]})
			doc.save(ignore_permissions=True)
		if row["status"] == "Closed":
			with stamps.at(min(resolved + timedelta(days=2), clock.now - timedelta(minutes=1))):
				with acting_as(CUSTOMER_SERVICE):
					doc.reload()
					doc.status = "Closed"
					doc.save(ignore_permissions=True)


def penalize(rows: list[dict], stamps: Stamps, clock: Clock) -> None:
	"""Operations penalises a recent job of each of the busiest technicians this morning; appeals follow."""
	busiest = frappe.db.sql_list(
		"""select technician from `tabHS Booking` where idempotency_key like 'demo:%%' and status = %s
		group by technician order by count(*) desc, technician limit %s""",
		(Status.COMPLETED, len(rows)),
	)
	for i, (row, technician) in enumerate(zip(rows, busiest, strict=False)):
		job = frappe.get_all(
			"HS Booking",
			filters={
				"technician": technician,
				"status": Status.COMPLETED,
				"idempotency_key": ("like", "demo:%"),
				"completed_on": ("<", clock.now - timedelta(hours=4)),
			},
			fields=["name", "completed_on"],
			order_by="completed_on desc",
			limit=1,
		)[0]
		# this morning, after every withdrawal: the penalty takes from what is available now
		at = max(
			get_datetime(job.completed_on) + timedelta(hours=1),
			clock.now - timedelta(hours=3, minutes=20 * i),
		)
		with stamps.at(at), acting_as(OPERATIONS):
			doc = insert(
				penalties.PENALTY,
				{
					"technician": technician,
					"booking": job.name,
					"amount": row["amount"],
					"reason": row["reason"],
				},
			)
			if row["outcome"] != "Draft":
				penalties.apply(doc.name)
		if not row.get("appeal"):
			continue
		user = frappe.db.get_value("HS Technician", technician, "user")
		with stamps.at(at + timedelta(hours=1)), acting_as(user or "Administrator"):
			appeal = insert(
				"HS Appeal",
				{
					"technician": technician,
					"subject": row["reason"],
					"reason": row["appeal"],
					"reference_doctype": penalties.PENALTY,
					"reference_name": doc.name,
				},
			)
		if row["outcome"] == "Appealed":
			continue
		with stamps.at(at + timedelta(hours=2)), acting_as(OPERATIONS):
			appeal.reload()
			appeal.update({"status": "Upheld" if row["outcome"] == "Waived" else "Rejected"})
			appeal.resolution = row["resolution"]
			appeal.save(ignore_permissions=True)


def leave(rows: list[dict], stamps: Stamps, clock: Clock) -> None:
	"""Technicians' leave on days they had (or have) no job: taken in the app, decided by operations."""
	technicians = frappe.get_all(
		"HS Technician", filters={"review_status": "Approved"}, pluck="name", order_by="name"
	)
	for i, row in enumerate(rows):
		start = datetime.combine(
			clock.date(str(add_days(clock.reference.date(), row["days"]))), datetime.min.time()
		) + timedelta(hours=8)
		end = start + timedelta(hours=int(row["hours"]))
		technician = next((t for t in technicians[i * 7 :] + technicians if not has_job(t, start, end)), None)
		if not technician:
			continue
		asked = min(start - timedelta(days=3), clock.now - timedelta(hours=1))
		user = frappe.db.get_value("HS Technician", technician, "user")
		with stamps.at(asked), acting_as(user or "Administrator"):
			insert(
				"HS Technician Leave",
				{
					"technician": technician,
					"leave_type": row["leave_type"],
					"status": row["status"],
					"from_datetime": start,
					"to_datetime": end,
					"reason": row["reason"],
				},
			)


def has_job(technician: str, start: datetime, end: datetime) -> bool:
	return bool(
		frappe.db.exists(
			"HS Booking",
			{
				"technician": technician,
				"window_start": ("between", [start - timedelta(hours=6), end]),
				"status": ("not in", (Status.CANCELLED, Status.REFUNDED)),
			},
		)
	)
