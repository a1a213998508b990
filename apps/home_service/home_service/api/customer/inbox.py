"""Messages the platform sent me (booking updates), with an unread count."""

import frappe
from frappe.utils import now_datetime

from home_service.api.customer.scope import ROLE, not_found
from home_service.api.registry import endpoint, page_args, paged
from home_service.utils.text import clean_name

TAG = "customer/inbox"


@endpoint(roles=ROLE, tag=TAG)
def list_messages(page: int = 1, page_size: int = 20, unread_only: bool = False) -> dict:
	"""My messages, newest first, and how many are unread."""
	filters = {"recipient": frappe.session.user}
	if unread_only:
		filters["is_read"] = 0
	start, length = page_args(page, page_size)
	rows = frappe.get_list(
		"HS Message",
		filters=filters,
		fields=["name", "title", "body", "booking", "is_read", "creation"],
		order_by="creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	result = paged([message_out(row) for row in rows], frappe.db.count("HS Message", filters), start, length)
	result["unread_count"] = unread_count()
	return result


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def mark_read(message: str) -> dict:
	"""Mark one of my messages as read."""
	name = clean_name(message, "Message")
	if not frappe.db.exists("HS Message", {"name": name, "recipient": frappe.session.user}):
		not_found("Message")
	table = frappe.qb.DocType("HS Message")
	(
		frappe.qb.update(table)
		.set(table.is_read, 1)
		.set(table.read_on, now_datetime())
		.where(table.name == name)
		.where(table.recipient == frappe.session.user)
		.where(table.is_read == 0)
	).run()
	return {"message": name, "is_read": True, "unread_count": unread_count()}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def mark_all_read() -> dict:
	"""Mark all my messages as read."""
	table = frappe.qb.DocType("HS Message")
	(
		frappe.qb.update(table)
		.set(table.is_read, 1)
		.set(table.read_on, now_datetime())
		.where(table.recipient == frappe.session.user)
		.where(table.is_read == 0)
	).run()
	return {"unread_count": 0}


def unread_count() -> int:
	return frappe.db.count("HS Message", {"recipient": frappe.session.user, "is_read": 0})


def message_out(row) -> dict:
	return {
		"message": row.name,
		"title": row.title,
		"body": row.body or None,
		"booking": row.booking or None,
		"is_read": bool(row.is_read),
		"created_on": str(row.creation),
	}
