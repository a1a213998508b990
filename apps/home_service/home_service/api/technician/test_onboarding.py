# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""A logged-in user applies as a technician, uploads certificates privately and follows the review."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from home_service.api.technician import offers, onboarding
from home_service.api.technician.scope import ConflictError, NotApprovedError
from home_service.tests.factories import make_area, make_skill, make_user, mobile
from home_service.tests.technician_fixtures import image_bytes, technician_with_user, uploading
from home_service.utils.uploads import FileTooLargeError, UnsupportedFileTypeError

ID_NUMBER = "11010519491231002X"


def application(skill: str, area: str, **kw) -> dict:
	return {
		"technician_name": "王师傅",
		"mobile_no": mobile("138"),
		"skills": [skill],
		"service_areas": [area],
		"qualifications": [
			{
				"qualification_type": "ID Card",
				"certificate_no": ID_NUMBER,
				"expiry_date": add_days(today(), 3650),
			},
			{
				"qualification_type": "Trade Certificate",
				"certificate_no": "JD-2024-0001",
				"issue_date": add_days(today(), -400),
				"expiry_date": add_days(today(), 700),
				"skill": skill,
			},
		],
		**kw,
	}


class TestOnboarding(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.skill, cls.area = make_skill(), make_area()

	def setUp(self):
		self.user = make_user(user_type="Website User")

	def test_apply_creates_a_pending_technician_with_submitted_documents(self):
		with self.set_user(self.user):
			result = onboarding.apply(**application(self.skill, self.area))
		self.assertEqual(result["review_status"], "Pending")
		technician = frappe.get_doc("HS Technician", result["technician"])
		self.assertEqual((technician.user, technician.review_status), (self.user, "Pending"))
		self.assertEqual([r.skill for r in technician.skills], [self.skill])
		self.assertIn("HS Technician", frappe.get_roles(self.user))
		states = frappe.get_all(
			"HS Qualification", filters={"technician": technician.name}, pluck="review_state"
		)
		self.assertEqual(states, ["Submitted", "Submitted"])
		id_card = next(q for q in result["qualifications"] if q["qualification_type"] == "ID Card")
		self.assertEqual(id_card["certificate_no"], "*" * 14 + ID_NUMBER[-4:])

		with self.set_user(self.user):
			self.assertRaises(ConflictError, onboarding.apply, **application(self.skill, self.area))
			self.assertRaises(NotApprovedError, offers.list_offers)
			status = onboarding.application_status()
		self.assertEqual(status["review_status"], "Pending")
		self.assertEqual(len(status["qualifications"]), 2)

	def test_apply_choices_list_skills_and_active_areas(self):
		inactive = make_area()
		frappe.db.set_value("HS Service Area", inactive, "is_active", 0)
		with self.set_user(self.user):
			choices = onboarding.apply_choices()
		self.assertIn(self.skill, [row["skill"] for row in choices["skills"]])
		areas = [row["service_area"] for row in choices["service_areas"]]
		self.assertIn(self.area, areas)
		self.assertNotIn(inactive, areas)  # an application naming it would be refused
		self.assertIn("ID Card", choices["qualification_types"])

	def test_rejected_application_can_be_resubmitted(self):
		with self.set_user(self.user):
			name = onboarding.apply(**application(self.skill, self.area))["technician"]
		frappe.db.set_value("HS Technician", name, "review_status", "Rejected")
		with self.set_user(self.user):
			again = onboarding.apply(**application(self.skill, self.area))
		self.assertEqual((again["technician"], again["review_status"]), (name, "Pending"))

	def test_invalid_applications_are_refused(self):
		cases = {
			"mobile": {"mobile_no": "12345"},
			"no id card": {
				"qualifications": [{"qualification_type": "Other", "certificate_no": "ABCD-1234"}]
			},
			"bad id number": {"qualifications": [{"qualification_type": "ID Card", "certificate_no": "123"}]},
			"expired": {
				"qualifications": [
					{
						"qualification_type": "ID Card",
						"certificate_no": ID_NUMBER,
						"expiry_date": add_days(today(), -1),
					}
				]
			},
			"unknown skill": {"skills": ["no such skill"]},
			"markup in name": {"technician_name": "<img src=x onerror=alert(1)>"},
			"no areas": {"service_areas": []},
		}
		for label, override in cases.items():
			with self.subTest(label), self.set_user(self.user):
				self.assertRaises(
					frappe.ValidationError,
					onboarding.apply,
					**{**application(self.skill, self.area), **override},
				)
		self.assertFalse(frappe.db.exists("HS Technician", {"user": self.user}))

	def test_mobile_of_another_technician_is_refused(self):
		taken = frappe.db.get_value("HS Technician", technician_with_user()[0], "mobile_no")
		with self.set_user(self.user):
			self.assertRaises(
				ConflictError, onboarding.apply, **application(self.skill, self.area, mobile_no=taken)
			)

	def test_certificate_upload_is_private_typed_and_scoped(self):
		with self.set_user(self.user):
			result = onboarding.apply(**application(self.skill, self.area))
			qualification = result["qualifications"][0]["name"]
			with uploading(image_bytes("JPEG"), "id.html"):
				uploaded = onboarding.upload_certificate(qualification=qualification)
		url = uploaded["certificate_file"]
		self.assertTrue(url.startswith("/private/files/") and url.endswith(".jpg"))
		file = frappe.get_doc("File", {"file_url": url, "attached_to_name": qualification})
		self.assertEqual((file.is_private, file.owner), (1, self.user))
		self.assertEqual(frappe.db.get_value("HS Qualification", qualification, "certificate_file"), url)

		with self.set_user(self.user):
			with uploading(b"%PDF-1.4 test", "cert.pdf"):
				replaced = onboarding.upload_certificate(qualification=qualification)["certificate_file"]
			self.assertTrue(replaced.endswith(".pdf"))
			self.assertFalse(frappe.db.exists("File", {"file_url": url, "attached_to_name": qualification}))
			with uploading(b"<svg onload=alert(1)>", "x.png"):
				self.assertRaises(
					UnsupportedFileTypeError, onboarding.upload_certificate, qualification=qualification
				)
			with uploading(b"%PDF-" + b"0" * (5 * 1024 * 1024), "big.pdf"):
				self.assertRaises(
					FileTooLargeError, onboarding.upload_certificate, qualification=qualification
				)

		_other, other_user = technician_with_user()
		with self.set_user(other_user), uploading(image_bytes(), "x.png"):
			self.assertRaises(
				frappe.DoesNotExistError, onboarding.upload_certificate, qualification=qualification
			)

	def test_certificate_from_frappe_upload_file_must_be_own_and_private(self):
		with self.set_user(self.user):
			qualification = onboarding.apply(**application(self.skill, self.area))["qualifications"][1][
				"name"
			]
			public = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "cert.png",
					"content": image_bytes(size=(5, 5)),
					"is_private": 0,
				}
			).insert(ignore_permissions=True)
			private = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": "cert.png",
					"content": image_bytes(size=(6, 6)),
					"is_private": 1,
				}
			).insert(ignore_permissions=True)
			self.assertRaises(
				frappe.ValidationError,
				onboarding.upload_certificate,
				qualification=qualification,
				file_url=public.file_url,
			)
			attached = onboarding.upload_certificate(qualification=qualification, file_url=private.file_url)
		self.assertEqual(attached["certificate_file"], private.file_url)
		self.assertEqual(frappe.db.get_value("File", private.name, "attached_to_name"), qualification)
		other, other_user = technician_with_user()
		theirs = frappe.get_doc(
			{
				"doctype": "HS Qualification",
				"technician": other,
				"qualification_type": "Other",
				"certificate_no": "X-1234",
			}
		).insert(ignore_permissions=True)
		with self.set_user(other_user):  # someone else's file, even when its URL is known
			self.assertRaises(
				frappe.PermissionError,
				onboarding.upload_certificate,
				qualification=theirs.name,
				file_url=private.file_url,
			)

	def test_add_qualification_later(self):
		technician, user = technician_with_user(skills=[self.skill])
		with self.set_user(user):
			row = onboarding.add_qualification(
				qualification_type="Health Certificate", certificate_no="HC-778899", skill=self.skill
			)
			self.assertEqual(row["review_state"], "Submitted")
			self.assertRaises(
				ConflictError,
				onboarding.add_qualification,
				qualification_type="Health Certificate",
				certificate_no="HC-778899",
			)
		self.assertEqual(frappe.db.get_value("HS Qualification", row["name"], "technician"), technician)
