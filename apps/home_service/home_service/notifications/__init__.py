"""Notifications to customers, technicians and staff on every channel, each send logged and retried.

	emit(EVENT, ("HS Booking", name), [customer_recipient(c)], texts, params={...}, dedupe="...")

`texts(lang) -> (title, body)` is called once per recipient, in the recipient's language. Channels
come from the `hs_notification_channels` hook (name → class path, see channels.py); a channel that
does not apply to a recipient (no phone, no openid, no template for the event) is skipped. For every
channel that applies, one HS Notification Log row is written (recipient masked) before the send:

- database channels (Inbox, System) are delivered at once, in the caller's transaction;
- provider channels (SMS, WeChat) are delivered by a background job after the caller commits, so a
  rolled-back booking never texts anybody, and by `retry_due` (every minute) after a failure, with
  doubling delays, until HS Quality Settings.notification_max_attempts.

`dedupe` makes an emission idempotent: the log's unique dedupe_key (dedupe + recipient + channel)
refuses a second row, so a reminder job that runs twice, or concurrently, sends once.
Frappe's own Notification records (Desk and email) are logged too: see `log_frappe_notification`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import frappe
from frappe.translate import get_user_lang
from frappe.utils import add_to_date, cint, now_datetime

from home_service.integrations.base import mask_phone
from home_service.utils import extensions
from home_service.utils.db import transaction_lost

LOG = "HS Notification Log"
SETTINGS = "HS Quality Settings"


class Event:
	BOOKING_PAID = "Booking Paid"
	TECHNICIAN_ASSIGNED = "Technician Assigned"
	ON_THE_WAY = "Technician On The Way"
	SERVICE_FINISHED = "Service Finished"
	BOOKING_COMPLETED = "Booking Completed"
	BOOKING_CANCELLED = "Booking Cancelled"
	REFUND_DONE = "Refund Done"
	NEW_OFFER = "New Offer"
	VISIT_REMINDER = "Visit Reminder"
	CERTIFICATE_EXPIRING = "Certificate Expiring"
	CERTIFICATE_EXPIRED = "Certificate Expired"
	SLA_BREACH = "SLA Breach"


@dataclass(frozen=True)
class Recipient:
	"""Who gets a message: a customer or technician (party) or a staff user, and how to reach them."""

	user: str | None = None
	party_doctype: str | None = None
	party_name: str | None = None
	phone: str | None = None
	openid: str | None = None

	@property
	def lang(self) -> str:
		return get_user_lang(self.user) if self.user else (frappe.local.lang or "zh")

	@property
	def is_staff(self) -> bool:
		return not self.party_doctype and bool(self.user)


def customer_recipient(customer: str) -> Recipient:
	row = frappe.db.get_value("HS Customer", customer, ["user", "mobile_no", "wechat_openid"], as_dict=True)
	row = row or frappe._dict()
	return Recipient(row.user, "HS Customer", customer, row.mobile_no, row.wechat_openid)


def technician_recipient(technician: str) -> Recipient:
	row = frappe.db.get_value(
		"HS Technician", technician, ["user", "mobile_no", "wechat_openid"], as_dict=True
	)
	row = row or frappe._dict()
	return Recipient(row.user, "HS Technician", technician, row.mobile_no, row.wechat_openid)


def staff_recipient(user: str) -> Recipient:
	return Recipient(user=user)


def staff_with_role(role: str) -> list[Recipient]:
	users = frappe.get_all(
		"Has Role",
		filters={"role": role, "parenttype": "User", "parent": ("not in", ("Administrator", "Guest"))},
		pluck="parent",
		distinct=True,
	)
	enabled = frappe.get_all(
		"User",
		filters={"name": ("in", users or [""]), "enabled": 1, "user_type": "System User"},
		pluck="name",
	)
	return [staff_recipient(u) for u in sorted(enabled)]


def recipient_of(log) -> Recipient:
	if log.party_doctype == "HS Customer":
		return customer_recipient(log.party_name)
	if log.party_doctype == "HS Technician":
		return technician_recipient(log.party_name)
	return staff_recipient(log.user)


def settings():
	return frappe.get_cached_doc(SETTINGS)


def registered_channels() -> dict:
	"""Channel instances by name, from the `hs_notification_channels` hook (the last path wins)."""
	hook = "hs_notification_channels"
	return {name: extensions.resolve(hook, name)() for name in extensions.names(hook)}


# --- emit -----------------------------------------------------------------------------------
def emit(
	event: str,
	reference: tuple[str, str] | None,
	recipients: list[Recipient],
	texts: Callable[[str], tuple[str, str]],
	params: dict | None = None,
	dedupe: str | None = None,
) -> list[str]:
	"""Log and send `event` to every recipient on every channel that applies; return the log names."""
	template = settings().template_for(event)
	registry = registered_channels()
	created, queued = [], []
	for recipient in recipients:
		title, body = texts(recipient.lang)
		for name, channel in registry.items():
			address = channel.address(recipient, event, template)
			if not address:
				continue
			log = _new_log(event, name, address, recipient, reference, title, body, params, dedupe)
			if not log:
				continue  # already sent for this dedupe key
			created.append(log.name)
			if channel.inline:
				attempt(log.name)
			else:
				queued.append(log.name)
	if queued:
		frappe.enqueue(
			"home_service.notifications.deliver",
			names=queued,
			queue="short",
			enqueue_after_commit=True,
		)
	return created


def _new_log(event, channel, address, recipient, reference, title, body, params, dedupe):
	party = recipient.party_name or recipient.user
	doc = frappe.get_doc(
		{
			"doctype": LOG,
			"event": event,
			"channel": channel,
			"recipient": address,
			"status": "Queued",
			"attempts": 0,
			"next_attempt_on": now_datetime(),
			"reference_doctype": reference[0] if reference else None,
			"reference_name": reference[1] if reference else None,
			"party_doctype": recipient.party_doctype,
			"party_name": recipient.party_name,
			"user": recipient.user,
			"dedupe_key": f"{dedupe}:{party}:{channel}"[:140] if dedupe else None,
			"title": (title or "")[:140],
			"body": body,
			"payload": json.dumps(params or {}, ensure_ascii=False, default=str),
		}
	)
	if not dedupe:
		return doc.insert(ignore_permissions=True)
	if frappe.db.exists(LOG, {"dedupe_key": doc.dedupe_key}):
		return None
	frappe.db.savepoint("hs_notification_log")
	try:
		return doc.insert(ignore_permissions=True)
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		# a concurrent run inserted the same key first
		frappe.db.rollback(save_point="hs_notification_log")
		return None


# --- deliver and retry ----------------------------------------------------------------------
def deliver(names: list[str]) -> None:
	"""Background job: the first try of provider sends, after the emitting transaction committed."""
	for name in names:
		attempt(name)
		_commit()


def retry_due(limit: int = 100) -> int:
	"""Every minute: send what is queued or failed and due, oldest first. Returns how many were tried."""
	registered = extensions.names("hs_notification_channels")
	names = frappe.get_all(
		LOG,
		filters={
			"status": ("in", ("Queued", "Failed")),
			"next_attempt_on": ("<=", now_datetime()),
			"channel": ("in", registered),
		},
		pluck="name",
		order_by="next_attempt_on asc",
		limit=limit,
	)
	for name in names:
		attempt(name)
		_commit()
	return len(names)


def attempt(name: str) -> str:
	"""Send one logged message once (under its row lock, so two workers never both send it)."""
	log = frappe.get_doc(LOG, name, for_update=True)
	limit = max(cint(settings().notification_max_attempts), 1)
	if log.status == "Sent" or not log.next_attempt_on or log.attempts >= limit:
		return log.status
	channel = registered_channels().get(log.channel)
	attempts = cint(log.attempts) + 1
	try:
		if not channel:
			raise ChannelMissing(log.channel)
		template = settings().template_for(log.event)
		channel.send(recipient_of(log), log, template)
	except Exception as exc:
		if transaction_lost(exc):
			raise  # the request's transaction is gone: retrying the whole request is the only way
		frappe.clear_last_message()
		retry_in = max(cint(settings().notification_retry_minutes), 1) * 2 ** (attempts - 1)
		log.db_set(
			{
				"status": "Failed",
				"attempts": attempts,
				"error": describe(exc),
				"next_attempt_on": None
				if attempts >= limit
				else add_to_date(now_datetime(), minutes=retry_in),
			}
		)
		return "Failed"
	log.db_set(
		{
			"status": "Sent",
			"attempts": attempts,
			"sent_on": now_datetime(),
			"next_attempt_on": None,
			"error": None,
		}
	)
	return "Sent"


class ChannelMissing(Exception):
	def __str__(self):
		return f"channel {self.args[0]} is not installed"


def describe(exc: Exception) -> str:
	code = getattr(exc, "provider_code", "") or getattr(exc, "errcode", "")
	text = f"{type(exc).__name__}: {code or str(exc)}"
	return text[:500]


def _commit() -> None:
	if not frappe.flags.in_test:
		frappe.db.commit()  # nosemgrep: a job sending one message at a time records each outcome


# --- Frappe's own Notification records --------------------------------------------------------
def log_frappe_notification(doc, method=None) -> None:
	"""`doc_events` on Notification Log (Desk bell) and Email Queue: Frappe Notification records about
	our documents are logged like our own sends. Frappe's Email Queue keeps retrying e-mails itself."""
	if doc.flags.hs_logged:
		return
	if doc.doctype == "Notification Log":
		doctype, name, channel, recipient, status = (
			doc.document_type,
			doc.document_name,
			"System",
			doc.for_user,
			"Sent",
		)
	else:
		doctype, name, channel, status = doc.reference_doctype, doc.reference_name, "Email", "Queued"
		recipient = ", ".join(mask_email(r.recipient) for r in doc.recipients) if doc.recipients else None
	if not doctype or not doctype.startswith("HS "):
		return
	frappe.get_doc(
		{
			"doctype": LOG,
			"event": "Notification",
			"channel": channel,
			"recipient": (recipient or "")[:140],
			"status": status,
			"attempts": 1 if status == "Sent" else 0,
			"sent_on": now_datetime() if status == "Sent" else None,
			"reference_doctype": doctype,
			"reference_name": name,
			"user": doc.get("for_user"),
			"title": (doc.get("subject") or "")[:140],
		}
	).insert(ignore_permissions=True)


def mask_email(email: str | None) -> str:
	if not email or "@" not in email:
		return "****"
	local, domain = email.split("@", 1)
	return f"{local[:1]}***@{domain}"


def mask_openid(openid: str | None) -> str:
	return f"{openid[:4]}****{openid[-4:]}" if openid and len(openid) > 8 else "****"


__all__ = ["Event", "Recipient", "emit", "mask_phone"]
