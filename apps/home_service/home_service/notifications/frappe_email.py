"""Frappe's e-mails about our documents on a site that has no outgoing Email Account.

Frappe e-mails a copy of Desk notifications (a booking assigned to a dispatcher, a mention, a share)
and sends Notification records on the Email channel (the shipped HS Refund Done and HS SLA Breach).
Without an outgoing Email Account every such send fails with "Please setup default Email Account"
and writes an Error Log row: on a fresh site, one for each paid booking that reaches the dispatcher
queue. For documents of HS DocTypes the e-mail is skipped instead and System Managers are told once,
on the Desk bell; once an administrator adds an account, Frappe e-mails as usual. (Registered in
hooks.py `override_doctype_class`; other documents keep Frappe's behaviour.)
"""

import sys
from collections import defaultdict
from contextlib import contextmanager

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import NotificationLog
from frappe.email.doctype.email_account.email_account import EmailAccount
from frappe.email.doctype.notification.notification import Notification
from frappe.translate import get_user_lang

from home_service.utils.users import users_with_role

MARKER = "hs-no-outgoing-email-account"  # the warning's document_name: it is given once
WARNING = (
	"No outgoing Email Account: e-mail notifications about bookings, refunds and complaints are not sent."
)
HOW_TO = "Add one in Email Account (Enable Outgoing, Default Outgoing)."


def ours(doctype: str | None) -> bool:
	return bool(doctype) and doctype.startswith("HS ")


def can_email(doctype: str | None, sender: str | None = None) -> bool:
	"""Whether Frappe finds an outgoing account for a mail about `doctype` (as frappe.sendmail would)."""
	return bool(EmailAccount.find_outgoing(match_by_email=sender, match_by_doctype=doctype))


class HSNotification(Notification):
	def send(self, doc):
		"""History a bulk job replays (the demo loader sets `frappe.flags.hs_replaying_history`) is no news:
		no bell entry, e-mail or message for staff about it."""
		if frappe.flags.hs_replaying_history:
			return
		super().send(doc)

	def send_an_email(self, doc, context):
		if ours(doc.doctype) and not can_email(doc.doctype, self.sender_email):
			warn_once()  # and no Communication that claims an e-mail went out
			return
		for lang, users in self.recipients_by_language(doc, context):
			with self.rendering_for(users, lang):
				super().send_an_email(doc, context)

	def create_system_notification(self, doc, context):
		for lang, users in self.recipients_by_language(doc, context):
			with self.rendering_for(users, lang):
				super().create_system_notification(doc, context)

	# Frappe renders a Notification once, in the language of whoever caused it (a webhook's: the
	# site's). Ours say `{{ _("…") }}`, so they are rendered once for each language among the
	# recipients, each reading their own.
	def recipients_by_language(self, doc, context) -> list[tuple[str, set[str]]]:
		groups = defaultdict(set)
		for users in self.get_list_of_recipients(doc, context):
			for user in users:
				groups[get_user_lang(user)].add(user)
		return sorted(groups.items())

	@contextmanager
	def rendering_for(self, users: set[str], lang: str):
		previous = frappe.local.lang
		frappe.local.lang, self.flags.hs_recipients = lang, users
		try:
			yield
		finally:
			frappe.local.lang, self.flags.hs_recipients = previous, None

	def get_list_of_recipients(self, doc, context):
		lists = super().get_list_of_recipients(doc, context)
		only = self.flags.hs_recipients
		return lists if only is None else tuple([u for u in users if u in only] for users in lists)


class HSNotificationLog(NotificationLog):
	def log_error(self, title=None, message=None):
		"""Frappe's after_insert logs an OutgoingEmailError when it cannot e-mail this bell entry."""
		failure = sys.exc_info()[1]
		if isinstance(failure, frappe.OutgoingEmailError) and ours(self.document_type):
			warn_once()
			return None
		return super().log_error(title, message)


def warn_once() -> None:
	"""One Desk bell entry for each System Manager (type Alert, which Frappe never e-mails); again only
	after Frappe clears old notifications (180 days) or an administrator deletes it."""
	if frappe.db.exists("Notification Log", {"document_type": "Email Account", "document_name": MARKER}):
		return
	for user in sorted({*users_with_role("System Manager"), "Administrator"}):
		lang = get_user_lang(user)
		frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": user,
				"type": "Alert",
				"subject": _(WARNING, lang=lang),
				"email_content": _(HOW_TO, lang=lang),
				"document_type": "Email Account",
				"document_name": MARKER,
				"link": "/app/email-account",
				"from_user": "Administrator",
			}
		).insert(ignore_permissions=True)
