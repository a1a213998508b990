# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Qualification review through the Workflow, and what review and expiry do to dispatch."""

from datetime import timedelta

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate, nowdate

from home_service.notifications import Event
from home_service.notifications import certificates as notification_certificates
from home_service.scheduling.eligibility import eligible_technicians
from home_service.tests.factories import make_area, make_skill, make_technician, make_user
from home_service.tests.quality_fixtures import set_quality_settings
from home_service.workforce import certificates


class CertificateCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("certificate_case")
		self.skill, self.area = make_skill(), make_area()
		self.reviewer = make_user(["HS Operations Manager"])
		self.today = getdate(nowdate())
		set_quality_settings({"certificate_reminder_days": 30})

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="certificate_case")
		frappe.clear_document_cache("HS Quality Settings", "HS Quality Settings")

	def technician(self, **kw) -> str:
		return make_technician(skills=[self.skill], areas=[self.area], with_user=True, **kw)

	def qualification(self, technician: str, kind: str = "Trade Certificate", expiry=None, **kw):
		doc = frappe.get_doc(
			{
				"doctype": "HS Qualification",
				"technician": technician,
				"qualification_type": kind,
				"certificate_no": frappe.generate_hash(length=10),
				"skill": self.skill if kind == "Trade Certificate" else None,
				"expiry_date": expiry or self.today + timedelta(days=365),
				**kw,
			}
		)
		return doc.insert(ignore_permissions=True)

	def review(self, doc, *actions: str, reason: str | None = None):
		with self.set_user(self.reviewer):
			for action in actions:
				if action == "Reject":
					doc.rejection_reason = reason
					doc.save()
				doc = apply_workflow(doc, action)
		return doc

	def dispatchable(self, on=None) -> list[str]:
		return [c.name for c in eligible_technicians(self.skill, self.area, on=on or self.today)]

	def logs(self, reference: str, event: str) -> list:
		return frappe.get_all(
			"HS Notification Log",
			filters={"reference_name": reference, "event": event},
			fields=["channel", "recipient", "status"],
		)


class TestReview(CertificateCase):
	def test_approving_the_application_makes_the_technician_dispatchable(self):
		tech = self.technician(review_status="Pending")
		id_card = self.qualification(tech, "ID Card")
		trade = self.qualification(tech)
		self.assertEqual(self.dispatchable(), [])
		id_card = self.review(id_card, "Start Review")
		self.assertEqual(frappe.db.get_value("HS Technician", tech, "review_status"), "Under Review")
		self.review(id_card, "Approve")
		# the trade certificate is still waiting: not approved yet
		self.assertEqual(frappe.db.get_value("HS Technician", tech, "review_status"), "Under Review")
		self.review(trade, "Start Review", "Approve")
		row = frappe.db.get_value("HS Technician", tech, ["review_status", "joined_on"], as_dict=True)
		self.assertEqual(row.review_status, "Approved")
		self.assertEqual(getdate(row.joined_on), self.today)
		self.assertEqual(self.dispatchable(), [tech])
		user = frappe.db.get_value("HS Technician", tech, "user")
		self.assertEqual(frappe.db.count("HS Message", {"recipient": user, "title": "Document approved"}), 2)

	def test_rejection_needs_a_reason_and_tells_the_technician(self):
		tech = self.technician(review_status="Pending")
		id_card = self.review(self.qualification(tech, "ID Card"), "Start Review")
		with self.set_user(self.reviewer):
			self.assertRaises(frappe.ValidationError, apply_workflow, id_card, "Reject")
		self.assertEqual(
			frappe.db.get_value("HS Qualification", id_card.name, "review_state"), "Under Review"
		)
		id_card.reload()  # the refused action changed the object in memory only
		id_card = self.review(id_card, "Reject", reason="身份证照片不清晰")
		self.assertEqual((id_card.review_state, id_card.reviewed_by), ("Rejected", self.reviewer))
		self.assertEqual(frappe.db.get_value("HS Technician", tech, "review_status"), "Rejected")
		user = frappe.db.get_value("HS Technician", tech, "user")
		body = frappe.db.get_value("HS Message", {"recipient": user, "title": "Document rejected"}, "body")
		self.assertIn("身份证照片不清晰", body)
		# a rejected document can be looked at again; approving clears the old reason
		id_card = self.review(id_card, "Start Review", "Approve")
		self.assertEqual((id_card.review_state, id_card.rejection_reason), ("Approved", None))

	def test_expired_is_set_by_the_job_only(self):
		doc = self.review(self.qualification(self.technician()), "Start Review", "Approve")
		with self.set_user(self.reviewer):
			doc.review_state = "Expired"
			self.assertRaises(frappe.ValidationError, doc.save)


class TestExpiry(CertificateCase):
	def test_job_marks_expired_records_it_and_dispatch_stops(self):
		tech = self.technician()
		doc = self.qualification(tech, expiry=self.today - timedelta(days=1), review_state="Approved")
		self.assertEqual(self.dispatchable(), [])  # eligibility already excludes it at query time
		# the demo city has lapsed certificates of its own: the job handles those too
		self.assertIn(doc.name, certificates.expire_certificates())
		self.assertEqual(certificates.expire_certificates(), [])  # a second run has nothing left to do
		doc.reload()
		self.assertEqual((doc.review_state, getdate(doc.expired_on)), ("Expired", self.today))
		comment = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "HS Technician", "reference_name": tech, "comment_type": "Info"},
			pluck="content",
		)
		self.assertTrue(any(doc.name in c for c in comment))
		self.assertEqual(self.dispatchable(), [])  # still suspended once marked Expired
		channels = {(r.channel, r.recipient) for r in self.logs(doc.name, Event.CERTIFICATE_EXPIRED)}
		self.assertIn(("Inbox", frappe.db.get_value("HS Technician", tech, "user")), channels)
		self.assertIn(("System", self.reviewer), channels)  # operations managers
		self.assertEqual(certificates.expire_certificates(), [])  # idempotent

	def test_a_renewed_certificate_lifts_the_suspension(self):
		tech = self.technician()
		old = self.qualification(tech, expiry=self.today - timedelta(days=3), review_state="Approved")
		certificates.expire_certificates()
		renewal = self.qualification(tech)  # submitted: not counted yet
		self.assertEqual(self.dispatchable(), [])
		self.review(renewal, "Start Review", "Approve")
		self.assertEqual(self.dispatchable(), [tech])
		self.assertEqual(frappe.db.get_value("HS Qualification", old.name, "review_state"), "Expired")

	def test_reminders_before_expiry_once_per_certificate(self):
		tech = self.technician()
		soon = self.qualification(tech, expiry=self.today + timedelta(days=10), review_state="Approved")
		self.qualification(tech, expiry=self.today + timedelta(days=90), review_state="Approved")  # later
		self.assertEqual(notification_certificates.remind_expiring(), 1)
		sent = self.logs(soon.name, Event.CERTIFICATE_EXPIRING)
		self.assertIn(
			("Inbox", frappe.db.get_value("HS Technician", tech, "user")),
			{(r.channel, r.recipient) for r in sent},
		)
		self.assertIn(("System", self.reviewer), {(r.channel, r.recipient) for r in sent})
		self.assertEqual(notification_certificates.remind_expiring(), 0)
		self.assertEqual(len(self.logs(soon.name, Event.CERTIFICATE_EXPIRING)), len(sent))
