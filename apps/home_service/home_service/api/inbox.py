"""The inbox both mini-programs read (customer/inbox.py, technician/inbox.py): the caller's own
HS Message rows only (recipient = the session user), newest first, with the unread count.

Messages are written by notifications/inbox.py `notify()`; this module only reads them and marks them read.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from home_service.api.registry import page_args, paged
from home_service.utils.text import clean_name

MESSAGE = "HS Message"


def list_messages(page: int, page_size: int, unread_only: bool) -> dict:
	filters = {"recipient": frappe.session.user}
	if unread_only:
		filters["is_read"] = 0
	start, length = page_args(page, page_size)
	rows = frappe.get_list(
		MESSAGE,
		filters=filters,
		fields=["name", "title", "body", "booking", "is_read", "creation"],
		order_by="creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	result = paged([message_out(row) for row in rows], frappe.db.count(MESSAGE, filters), start, length)
	result["unread_count"] = unread_count()
	return result


def mark_read(message: str) -> dict:
	name = clean_name(message, "Message")
	if not frappe.db.exists(MESSAGE, {"name": name, "recipient": frappe.session.user}):
		# the same answer whether the message is someone else's or does not exist
		frappe.throw(_("{0} not found.").format(_("Message")), frappe.DoesNotExistError)
	_mark_read(name)
	return {"message": name, "is_read": True, "unread_count": unread_count()}


def mark_all_read() -> dict:
	_mark_read()
	return {"unread_count": 0}


def unread_count() -> int:
	return frappe.db.count(MESSAGE, {"recipient": frappe.session.user, "is_read": 0})


def _mark_read(name: str | None = None) -> None:
	table = frappe.qb.DocType(MESSAGE)
	query = (
		frappe.qb.update(table)
		.set(table.is_read, 1)
		.set(table.read_on, now_datetime())
		.where(table.recipient == frappe.session.user)
		.where(table.is_read == 0)
	)
	if name:
		query = query.where(table.name == name)
	query.run()


def message_out(row) -> dict:
	return {
		"message": row.name,
		"title": row.title,
		"body": row.body or None,
		"booking": row.booking or None,
		"is_read": bool(row.is_read),
		"created_on": str(row.creation),
	}
