# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe.model.workflow import (
	WorkflowPermissionError,
	WorkflowTransitionError,
	apply_workflow,
	get_transitions,
)
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_technician, make_user


def qualification(**kw):
	return frappe.get_doc(
		{
			"doctype": "HS Qualification",
			"technician": make_technician(),
			"qualification_type": "Trade Certificate",
			"certificate_no": frappe.generate_hash(length=10),
			**kw,
		}
	)


class TestHSQualification(FrappeTestCase):
	def test_certificate_files_must_be_private(self):
		self.assertRaises(frappe.PermissionError, qualification(certificate_file="/files/id-card.jpg").insert)
		qualification(certificate_file="/private/files/id-card.jpg").insert()

	def test_expiry_after_issue(self):
		self.assertRaises(
			frappe.ValidationError, qualification(issue_date="2026-01-01", expiry_date="2025-01-01").insert
		)

	def test_review_is_recorded_and_rejection_needs_a_reason(self):
		doc = qualification().insert()
		reviewer = make_user(["HS Operations Manager"])
		with self.set_user(reviewer):
			doc = apply_workflow(doc, "Start Review")
			self.assertRaises(frappe.ValidationError, apply_workflow, doc, "Reject")
			doc.reload()
			self.assertEqual(doc.review_state, "Under Review")
			doc.rejection_reason = "证书照片模糊"
			doc.save()
			doc = apply_workflow(doc, "Reject")
		self.assertEqual((doc.review_state, doc.reviewed_by), ("Rejected", reviewer))
		self.assertTrue(doc.reviewed_on)

	def test_review_goes_through_the_workflow(self):
		doc = qualification().insert()
		reviewer = make_user(["HS Operations Manager"])
		with self.set_user(reviewer):
			doc.review_state = "Approved"  # skipping the review
			self.assertRaises(WorkflowPermissionError, doc.save)
			doc.reload()
			self.assertEqual({t["action"] for t in get_transitions(doc)}, {"Start Review"})
			doc = apply_workflow(doc, "Start Review")
			self.assertEqual({t["action"] for t in get_transitions(doc)}, {"Approve", "Reject"})
			doc = apply_workflow(doc, "Approve")
		self.assertEqual(doc.review_state, "Approved")
		dispatcher = make_user(["HS Dispatcher"])
		other = qualification().insert()
		with self.set_user(dispatcher):
			self.assertRaises(WorkflowTransitionError, apply_workflow, other, "Start Review")
