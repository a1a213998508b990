# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Every channel against its fake, the log, retries with backoff, reminders sent once."""

from datetime import timedelta
from unittest.mock import patch

import frappe
from frappe.utils import get_datetime, now_datetime

from home_service import notifications
from home_service.booking.lifecycle import Status
from home_service.notifications import Event, emit, events, retry_due
from home_service.notifications.channels import Channel
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.tests.providers import fake_sms, fake_wechat
from home_service.tests.quality_fixtures import set_quality_settings
from home_service.tests.technician_fixtures import offer_booking

LOG = "HS Notification Log"


def logs(reference: str, **filters) -> list:
	return frappe.get_all(
		LOG,
		filters={"reference_name": reference, **filters},
		fields=["name", "event", "channel", "status", "attempts", "recipient", "next_attempt_on", "error"],
		order_by="creation asc",
	)


class NotificationCase(CustomerTestCase):
	def setUp(self):
		super().setUp()
		self.phone = frappe.db.get_value("HS Customer", self.customer, "mobile_no")
		self.openid = "oCUST" + frappe.generate_hash(length=16)
		frappe.db.set_value("HS Customer", self.customer, "wechat_openid", self.openid)
		self.quality(
			{"notification_max_attempts": 3, "notification_retry_minutes": 2, "visit_reminder_hours": 2}
		)

	def tearDown(self):
		super().tearDown()
		frappe.clear_document_cache("HS Quality Settings", "HS Quality Settings")

	def quality(self, values: dict, templates: list[dict] | None = None):
		set_quality_settings(values, templates)

	def assigned(self, hour: int = 10):
		return self.booking_in(Status.ASSIGNED, hour=hour)


class TestInboxAndLog(NotificationCase):
	def test_booking_steps_reach_the_inbox_and_are_logged(self):
		doc = self.assigned()
		sent = logs(doc.name, channel="Inbox")
		self.assertEqual(
			[(r.event, r.status, r.attempts, r.recipient) for r in sent],
			[
				(Event.BOOKING_PAID, "Sent", 1, self.user),
				(Event.TECHNICIAN_ASSIGNED, "Sent", 1, self.user),
			],
		)
		titles = frappe.get_all(
			"HS Message", filters={"recipient": self.user, "booking": doc.name}, pluck="title"
		)
		self.assertEqual(len(titles), 2)
		# no SMS or WeChat template is configured: those channels do not apply
		self.assertEqual(logs(doc.name, channel=("in", ("SMS", "WeChat"))), [])

	def test_offer_reaches_the_technician(self):
		doc = self.book(hour=12)
		offer = offer_booking(doc, self.tech)
		sent = logs(offer, event=Event.NEW_OFFER)
		self.assertEqual(
			[(r.channel, r.status, r.recipient) for r in sent], [("Inbox", "Sent", self.tech_user)]
		)

	def test_refund_hook_tells_the_customer(self):
		self.assertIn(
			"home_service.notifications.events.on_refund_succeeded",
			frappe.get_hooks("hs_on_refund_succeeded"),
		)
		doc = self.assigned()
		refund = frappe.get_doc(
			{
				"doctype": "HS Refund",
				"booking": doc.name,
				"customer": self.customer,
				"kind": "Staff",
				"status": "Succeeded",
				"amount": 25,
				"amount_fen": 2500,
				"reason": "测试",
			}
		)
		refund.flags.ignore_links = True  # no payment row: only the notification is under test
		refund.insert(ignore_permissions=True, ignore_mandatory=True)
		events.on_refund_succeeded(refund)
		events.on_refund_succeeded(refund)  # a replayed provider answer does not notify twice
		self.assertEqual([r.status for r in logs(refund.name, event=Event.REFUND_DONE)], ["Sent"])
		body = frappe.get_all(
			"HS Message", filters={"recipient": self.user}, pluck="body", order_by="creation desc"
		)[0]
		self.assertIn("25.00", body)

	def test_frappe_notifications_about_our_documents_are_logged(self):
		doc = self.assigned()
		email = frappe.get_doc(
			{
				"doctype": "Email Queue",
				"sender": "ops@test.home",
				"message": "x",
				"reference_doctype": "HS Booking",
				"reference_name": doc.name,
				"recipients": [{"recipient": "zhang.san@test.home"}],
			}
		).insert(ignore_permissions=True)
		self.assertTrue(email.name)
		row = logs(doc.name, channel="Email")[0]
		self.assertEqual((row.status, row.recipient), ("Queued", "z***@test.home"))

	def test_an_app_adds_a_channel_through_the_hook(self):
		sent = []

		class Pager(Channel):
			inline = True

			def address(self, recipient, event, template):
				return recipient.party_name

			def send(self, recipient, log, template):
				sent.append((recipient.party_name, log.title))

		hooks = dict(frappe.get_hooks("hs_notification_channels"))
		hooks["Pager"] = ["pager.Pager"]
		real_get_hooks, real_get_attr = frappe.get_hooks, frappe.get_attr
		with (
			patch.object(
				frappe,
				"get_hooks",
				lambda name=None, *a, **kw: hooks
				if name == "hs_notification_channels"
				else real_get_hooks(name, *a, **kw),
			),
			patch.object(
				frappe, "get_attr", lambda path: Pager if path == "pager.Pager" else real_get_attr(path)
			),
		):
			doc = self.assigned()
		self.assertIn(
			(
				self.customer,
				frappe.db.get_value("HS Message", {"booking": doc.name, "recipient": self.user}, "title"),
			),
			sent,
		)
		self.assertTrue(logs(doc.name, channel="Pager", status="Sent"))


class TestSms(NotificationCase):
	def setUp(self):
		super().setUp()
		self.quality({}, templates=[{"event": Event.TECHNICIAN_ASSIGNED, "sms_template": "SMS_ASSIGNED"}])

	def test_sent_after_commit_through_the_provider(self):
		with fake_sms("Aliyun") as fake:
			doc = self.assigned()
			[row] = logs(doc.name, channel="SMS")
			self.assertEqual((row.event, row.status, row.attempts), (Event.TECHNICIAN_ASSIGNED, "Queued", 0))
			self.assertEqual(row.recipient, self.phone[:3] + "****" + self.phone[-4:])  # masked
			self.assertEqual(fake.messages, [])  # nothing leaves before the booking is committed
			notifications.deliver([row.name])
		[message] = fake.messages_to(self.phone)
		self.assertEqual(message["template"], "SMS_ASSIGNED")
		self.assertEqual(message["params"]["booking"], doc.name)
		self.assertEqual(logs(doc.name, channel="SMS")[0].status, "Sent")

	def test_failures_retry_with_backoff_until_the_limit(self):
		with fake_sms("Aliyun") as fake:
			doc = self.assigned()
			[row] = logs(doc.name, channel="SMS")
			fake.down = True
			notifications.deliver([row.name])
			first = logs(doc.name, channel="SMS")[0]
			self.assertEqual((first.status, first.attempts), ("Failed", 1))
			self.assertTrue(first.error)
			self.assertAlmostEqual(
				(get_datetime(first.next_attempt_on) - now_datetime()).total_seconds(), 120, delta=15
			)
			self.assertEqual(retry_due(), 0)  # not due yet
			self.due(row.name)
			self.assertEqual(retry_due(), 1)
			second = logs(doc.name, channel="SMS")[0]
			self.assertEqual((second.status, second.attempts), ("Failed", 2))
			self.assertAlmostEqual(
				(get_datetime(second.next_attempt_on) - now_datetime()).total_seconds(), 240, delta=15
			)
			fake.down = False
			self.due(row.name)
			retry_due()
		done = logs(doc.name, channel="SMS")[0]
		self.assertEqual((done.status, done.attempts, done.next_attempt_on), ("Sent", 3, None))
		self.assertEqual(len(fake.messages_to(self.phone)), 1)
		self.due(row.name)
		self.assertEqual(retry_due(), 0)  # sent: never again

	def test_gives_up_after_max_attempts(self):
		with fake_sms("Aliyun") as fake:
			doc = self.assigned()
			[row] = logs(doc.name, channel="SMS")
			fake.fail_code = "isv.BUSINESS_LIMIT_CONTROL"
			for _i in range(3):
				self.due(row.name)
				retry_due()
			final = logs(doc.name, channel="SMS")[0]
			self.assertEqual((final.status, final.attempts, final.next_attempt_on), ("Failed", 3, None))
			self.assertIn("BUSINESS_LIMIT_CONTROL", final.error)
			fake.fail_code = None
			frappe.db.set_value(LOG, row.name, "next_attempt_on", now_datetime() - timedelta(minutes=1))
			retry_due()
		self.assertEqual(logs(doc.name, channel="SMS")[0].attempts, 3)  # the limit holds
		self.assertEqual(fake.messages, [])

	@staticmethod
	def due(name: str) -> None:
		if frappe.db.get_value(LOG, name, "next_attempt_on"):
			frappe.db.set_value(LOG, name, "next_attempt_on", now_datetime() - timedelta(seconds=1))


class TestWeChat(NotificationCase):
	def setUp(self):
		super().setUp()
		self.quality(
			{},
			templates=[
				{
					"event": Event.TECHNICIAN_ASSIGNED,
					"wechat_template_id": "TPL-ASSIGNED",
					"wechat_page": "pages/booking/detail",
					"wechat_fields": '{"character_string1": "booking", "thing2": "technician", "time3": "window"}',
				}
			],
		)

	def test_subscription_message_with_template_and_openid(self):
		with fake_wechat() as fake:
			fake.add_template("TPL-ASSIGNED", ("character_string1", "thing2", "time3"))
			fake.subscribe(self.openid, "TPL-ASSIGNED")
			doc = self.assigned()
			[row] = logs(doc.name, channel="WeChat")
			self.assertNotIn(self.openid, row.recipient)  # masked
			notifications.deliver([row.name])
		self.assertEqual(logs(doc.name, channel="WeChat")[0].status, "Sent")
		[message] = fake.messages
		self.assertEqual((message["openid"], message["template_id"]), (self.openid, "TPL-ASSIGNED"))
		self.assertEqual(message["data"]["character_string1"], doc.name)
		self.assertEqual(message["page"], "pages/booking/detail")

	def test_not_subscribed_fails_then_retries(self):
		with fake_wechat() as fake:
			fake.add_template("TPL-ASSIGNED", ("character_string1", "thing2", "time3"))
			fake.subscribe("o-someone-else", "TPL-ASSIGNED")
			doc = self.assigned()
			[row] = logs(doc.name, channel="WeChat")
			notifications.deliver([row.name])
			failed = logs(doc.name, channel="WeChat")[0]
			self.assertEqual(failed.status, "Failed")
			self.assertIn("40003", failed.error)
			fake.subscribe(self.openid, "TPL-ASSIGNED")
			fake.revoke_access_tokens()  # the cached token is refused once, then refreshed
			frappe.db.set_value(LOG, row.name, "next_attempt_on", now_datetime() - timedelta(seconds=1))
			retry_due()
		done = logs(doc.name, channel="WeChat")[0]
		self.assertEqual((done.status, done.attempts), ("Sent", 2))
		self.assertEqual(len(fake.messages), 1)

	def test_unknown_template_is_an_error(self):
		with fake_wechat() as fake:
			fake.subscribe(self.openid, "TPL-ASSIGNED")
			doc = self.assigned()
			[row] = logs(doc.name, channel="WeChat")
			notifications.deliver([row.name])
		failed = logs(doc.name, channel="WeChat")[0]
		self.assertEqual(failed.status, "Failed")
		self.assertIn("40037", failed.error)


class TestVisitReminders(NotificationCase):
	def test_once_per_booking_however_often_the_job_runs(self):
		doc = self.assigned()
		soon = now_datetime() + timedelta(hours=1)
		later = self.assigned(hour=14)
		frappe.db.set_value(
			"HS Booking", doc.name, {"window_start": soon, "window_end": soon + timedelta(hours=2)}
		)
		frappe.db.set_value(
			"HS Booking", later.name, "window_start", now_datetime() + timedelta(hours=3)
		)  # not yet
		events.send_visit_reminders()
		reminded = logs(doc.name, event=Event.VISIT_REMINDER)
		self.assertEqual(
			sorted((r.channel, r.recipient) for r in reminded),
			sorted([("Inbox", self.tech_user), ("Inbox", self.user)]),  # user names are random
		)
		self.assertEqual(logs(later.name, event=Event.VISIT_REMINDER), [])
		for _i in range(2):
			events.send_visit_reminders()
		self.assertEqual(len(logs(doc.name, event=Event.VISIT_REMINDER)), 2)

	def test_a_moved_window_is_reminded_again(self):
		doc = self.assigned()
		soon = now_datetime() + timedelta(hours=1)
		frappe.db.set_value("HS Booking", doc.name, "window_start", soon)
		events.send_visit_reminders()
		frappe.db.set_value("HS Booking", doc.name, "window_start", soon + timedelta(minutes=30))
		events.send_visit_reminders()
		self.assertEqual(len(logs(doc.name, event=Event.VISIT_REMINDER)), 4)

	def test_emit_with_the_same_dedupe_key_sends_once(self):
		recipient = notifications.customer_recipient(self.customer)

		def texts(lang):
			return "提醒", "正文"

		first = emit(Event.VISIT_REMINDER, None, [recipient], texts, dedupe="manual:1")
		again = emit(Event.VISIT_REMINDER, None, [recipient], texts, dedupe="manual:1")
		self.assertEqual((len(first), again), (1, []))
