"""The shipped notification channels. A channel is registered in the `hs_notification_channels` hook
(name → class path) and implements:

- `inline`: True when sending only writes to the database (delivered in the caller's transaction);
- `address(recipient, event, template) -> str | None`: the masked address for the log, or None when
  the channel does not apply (no user, phone, openid, or no template configured for the event);
- `send(recipient, log, template)`: deliver one logged message (`log.title`, `log.body`, `log.payload`
  as JSON params, `log.reference_doctype/name`), raising on failure so it is retried.

An app adds one (e.g. DingTalk for staff) with `hs_notification_channels = {"DingTalk": "my_app.X"}`.
"""

import json

import frappe

from home_service.integrations.base import mask_phone
from home_service.notifications import inbox, mask_openid

MINI_PROGRAM_PARTIES = ("HS Customer", "HS Technician")


class Channel:
	inline = False

	def address(self, recipient, event: str, template) -> str | None:
		raise NotImplementedError

	def send(self, recipient, log, template) -> None:
		raise NotImplementedError


class InboxChannel(Channel):
	"""HS Message, read by the mini-programs (notifications/inbox.py)."""

	inline = True

	def address(self, recipient, event, template):
		return recipient.user if recipient.user and recipient.party_doctype in MINI_PROGRAM_PARTIES else None

	def send(self, recipient, log, template):
		booking = log.reference_name if log.reference_doctype == "HS Booking" else None
		inbox.notify(recipient.user, log.title, log.body, booking=booking)


class SystemChannel(Channel):
	"""Desk's notification bell (a Notification Log row) for staff users."""

	inline = True

	def address(self, recipient, event, template):
		return recipient.user if recipient.is_staff else None

	def send(self, recipient, log, template):
		note = frappe.get_doc(
			{
				"doctype": "Notification Log",
				"for_user": recipient.user,
				"type": "Alert",
				"subject": log.title,
				"email_content": log.body,
				"document_type": log.reference_doctype,
				"document_name": log.reference_name,
				"from_user": "Administrator",
			}
		)
		note.flags.hs_logged = True  # this send is already in HS Notification Log
		note.insert(ignore_permissions=True)


class SmsChannel(Channel):
	"""A templated text through the configured provider (home_service.integrations.sms)."""

	def address(self, recipient, event, template):
		if not (recipient.phone and template and template.sms_template):
			return None
		return mask_phone(recipient.phone)

	def send(self, recipient, log, template):
		from home_service.integrations.sms import get_provider

		if not (recipient.phone and template and template.sms_template):
			raise ValueError("no phone number or SMS template any more")
		params = {k: str(v) for k, v in json.loads(log.payload or "{}").items()}
		get_provider().send(recipient.phone, template.sms_template, params)


class WeChatChannel(Channel):
	"""A WeChat subscription message (订阅消息) to the recipient's mini-program openid."""

	def address(self, recipient, event, template):
		if not (recipient.openid and template and template.wechat_template_id):
			return None
		return mask_openid(recipient.openid)

	def send(self, recipient, log, template):
		from home_service.integrations.wechat.client import WeChatMiniProgram

		if not (recipient.openid and template and template.wechat_template_id):
			raise ValueError("no openid or WeChat template any more")
		params = json.loads(log.payload or "{}")
		values = {"title": log.title, "body": log.body or "", **params}
		mapping = json.loads(template.wechat_fields) if template.wechat_fields else None
		mapping = mapping or {"thing1": "title", "thing2": "body"}
		# WeChat's "thing" values hold at most 20 characters
		data = {key: str(values.get(name) or "")[:20] for key, name in mapping.items()}
		WeChatMiniProgram().send_subscribe_message(
			recipient.openid, template.wechat_template_id, data, page=template.wechat_page
		)
