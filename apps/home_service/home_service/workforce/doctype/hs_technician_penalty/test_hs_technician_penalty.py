# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Penalties: a draft that staff apply (a balanced posting off the technician's earnings, once), the
technician's list and appeal, and the waiver (by hand or by an upheld appeal) that reverses it once."""

import frappe

from home_service.api.technician import penalties as penalties_api
from home_service.api.technician import reviews
from home_service.api.technician.scope import ConflictError
from home_service.billing import desk, penalties
from home_service.billing.accounts import Account
from home_service.billing.earnings import balances
from home_service.billing.ledger import ENTRY, unbalanced_keys
from home_service.booking.lifecycle import Status
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.tests.earnings_fixtures import fund
from home_service.tests.factories import make_user
from home_service.tests.technician_fixtures import technician_with_user
from home_service.workforce.penalties import PenaltyStateError

PENALTY = "HS Technician Penalty"


def draft(technician: str, amount: float = 50, **kw):
	return frappe.get_doc(
		{"doctype": PENALTY, "technician": technician, "amount": amount, "reason": "未按约定时间上门", **kw}
	).insert()


def postings(penalty: str) -> dict[str, list[tuple]]:
	rows = frappe.get_all(
		ENTRY,
		filters={"voucher_type": PENALTY, "voucher_no": penalty},
		fields=["posting_key", "account", "amount_fen"],
		order_by="posting_key, line_no",
	)
	out = {}
	for row in rows:
		out.setdefault(row.posting_key, []).append((row.account, row.amount_fen))
	return out


class TestTechnicianPenalty(CustomerTestCase):
	"""`self.tech` (who logs in as `self.tech_user`) works in the corner where `self.customer` lives;
	each test's records are rolled back after it (CustomerTestCase)."""

	def setUp(self):
		super().setUp()
		self.technician, self.user = self.tech, self.tech_user
		self.staff = make_user(["HS Operations Manager"])

	def test_a_draft_is_validated_and_only_a_draft_is_editable_or_deletable(self):
		self.assertRaises(frappe.ValidationError, draft, self.technician, amount=0)
		others_job = self.booking_in(Status.ASSIGNED, technician=self.corner.technician())
		self.assertRaises(frappe.ValidationError, draft, self.technician, booking=others_job.name)
		doc = draft(self.technician, amount=12.34, booking=self.booking_in(Status.ASSIGNED, hour=12).name)
		self.assertEqual((doc.status, doc.amount_fen), ("Draft", 1234))
		doc.amount = 20
		doc.save()
		doc.status = "Applied"
		self.assertRaises(frappe.ValidationError, doc.save)  # only through apply()
		penalties.apply(doc.name)
		doc.reload()
		doc.amount = 1
		self.assertRaises(frappe.ValidationError, doc.save)
		self.assertRaises(frappe.ValidationError, doc.delete)
		kept = draft(self.technician)
		kept.delete()
		self.assertFalse(frappe.db.exists(PENALTY, kept.name))

	def test_applying_takes_from_available_first_then_leaves_a_debt_once(self):
		fund(self.technician, 30_00)
		doc = draft(self.technician, amount=50)
		with self.set_user(self.staff):
			desk.apply_penalty(doc.name)
		self.assertRaises(PenaltyStateError, penalties.apply, doc.name)
		self.assertEqual(
			postings(doc.name),
			{
				f"{doc.name}:applied": [
					(Account.TECHNICIAN_AVAILABLE, 30_00),
					(Account.TECHNICIAN_PENDING, 20_00),
					(Account.PLATFORM_REVENUE, -50_00),
				]
			},
		)
		after = balances(self.technician)
		self.assertEqual(
			(after["available"], after["pending"]), (0, -20_00)
		)  # the debt, netted by the next settlement
		self.assertEqual(
			frappe.db.get_value(PENALTY, doc.name, ["status", "applied_by"]), ("Applied", self.staff)
		)
		self.assertEqual(unbalanced_keys(), [])

	def test_waiving_reverses_the_posting_once(self):
		fund(self.technician, 100_00)
		doc = draft(self.technician, amount=40)
		self.assertRaises(PenaltyStateError, penalties.waive, doc.name, "x")  # a draft is deleted instead
		penalties.apply(doc.name)
		self.assertEqual(balances(self.technician)["available"], 60_00)
		with self.set_user(self.staff):
			self.assertRaises(frappe.ValidationError, desk.waive_penalty, doc.name, " ")
			desk.waive_penalty(doc.name, "系统误判")
			desk.waive_penalty(doc.name, "再点一次")
		self.assertEqual(balances(self.technician)["available"], 100_00)
		self.assertEqual(len(postings(doc.name)), 2)
		waived = frappe.get_doc(PENALTY, doc.name)
		self.assertEqual(
			(waived.status, waived.waive_reason, waived.waived_by), ("Waived", "系统误判", self.staff)
		)

	def test_only_staff_apply_or_waive(self):
		doc = draft(self.technician)
		for user in (self.user, make_user(["HS Finance"])):
			with self.set_user(user):
				self.assertRaises(frappe.PermissionError, desk.apply_penalty, doc.name)
		self.assertEqual(frappe.db.get_value(PENALTY, doc.name, "status"), "Draft")

	def test_the_technician_lists_applied_penalties_and_an_upheld_appeal_waives_one_once(self):
		fund(self.technician, 100_00)
		hidden = draft(self.technician)  # still a draft: not shown, not appealable
		doc = draft(self.technician, amount=25)
		penalties.apply(doc.name)
		other = draft(technician_with_user()[0])
		penalties.apply(other.name)
		with self.set_user(self.user):
			page = penalties_api.list_penalties()
			self.assertEqual(
				[(p["penalty"], p["amount"], p["can_appeal"]) for p in page["items"]],
				[(doc.name, "25.00", True)],
			)
			self.assertRaises(
				frappe.DoesNotExistError, reviews.create_appeal, "申诉", "理由", PENALTY, hidden.name
			)
			self.assertRaises(
				frappe.DoesNotExistError, reviews.create_appeal, "申诉", "理由", PENALTY, other.name
			)
			appeal = reviews.create_appeal("罚款申诉", "当天暴雨，已提前告知客户", PENALTY, doc.name)[
				"appeal"
			]
			self.assertRaises(ConflictError, reviews.create_appeal, "再次申诉", "理由", PENALTY, doc.name)
			self.assertEqual(penalties_api.list_penalties()["items"][0]["status"], "Appealed")
		self.assertEqual(balances(self.technician)["available"], 75_00)  # stands while appealed
		with self.set_user(self.staff):
			decision = frappe.get_doc("HS Appeal", appeal)
			decision.status, decision.resolution = "Upheld", "情况属实，撤销罚款"
			decision.save()
			decision.save()  # saved again: nothing more happens
		self.assertEqual(balances(self.technician)["available"], 100_00)
		self.assertEqual(len(postings(doc.name)), 2)
		with self.set_user(self.user):
			item = penalties_api.list_penalties()["items"][0]
		self.assertEqual(
			(item["status"], item["waive_reason"], item["appeal"]["status"], item["can_appeal"]),
			("Waived", "情况属实，撤销罚款", "Upheld", False),
		)

	def test_a_rejected_appeal_leaves_the_penalty_applied(self):
		doc = draft(self.technician, amount=10)
		penalties.apply(doc.name)
		with self.set_user(self.user):
			appeal = reviews.create_appeal("罚款申诉", "理由", PENALTY, doc.name)["appeal"]
		with self.set_user(self.staff):
			decision = frappe.get_doc("HS Appeal", appeal)
			decision.status, decision.resolution = "Rejected", "证据不足"
			decision.save()
		self.assertEqual(frappe.db.get_value(PENALTY, doc.name, "status"), "Applied")
		self.assertEqual(len(postings(doc.name)), 1)
		self.assertEqual(balances(self.technician)["pending"], -10_00)  # a debt: nothing was available

	def test_other_technicians_and_customers_cannot_read_penalties(self):
		doc = draft(self.technician)
		penalties.apply(doc.name)
		stranger = technician_with_user()[1]
		with self.set_user(stranger):
			self.assertEqual(frappe.get_list(PENALTY), [])
			self.assertFalse(frappe.has_permission(PENALTY, "read", doc.name))
		with self.set_user(self.user):
			self.assertEqual([row.name for row in frappe.get_list(PENALTY)], [doc.name])
		with self.set_user(make_user(["HS Customer"], user_type="Website User")):
			self.assertFalse(frappe.has_permission(PENALTY, "read"))
