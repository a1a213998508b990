# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""An upload never takes over another user's or another document's stored file (issue 14, point 4)."""

import secrets

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_user
from home_service.utils.uploads import IMAGES, owned_upload


def new_file(content: bytes, owner: str, file_name: str, attached_to: tuple[str, str] | None = None):
	frappe.set_user(owner)
	try:
		doctype, name = attached_to or (None, None)
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"content": content,
				"is_private": 1,
				"attached_to_doctype": doctype,
				"attached_to_name": name,
			}
		).insert(ignore_permissions=True)
	finally:
		frappe.set_user("Administrator")


class TestUploadsStayApart(FrappeTestCase):
	def setUp(self):
		# bytes no File has yet, so that the first upload below is the one Frappe would share
		self.content = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(64)
		self.alice, self.bob = make_user(), make_user()

	def test_same_bytes_for_another_document_or_user_get_their_own_file(self):
		first = new_file(self.content, self.alice, "HS-BK-A-1.png", ("User", self.alice))
		other_doc = new_file(self.content, self.alice, "HS-BK-B-1.png", ("User", self.bob))
		other_user = new_file(self.content, self.bob, "IMG_0001.png")
		urls = [first.file_url, other_doc.file_url, other_user.file_url]
		self.assertEqual(len(set(urls)), 3, urls)
		self.assertIn("HS-BK-B-1", other_doc.file_url)
		self.assertNotIn("HS-BK-A", other_user.file_url)
		for file in (first, other_doc, other_user):
			self.assertEqual(file.get_content(), self.content)

	def test_the_same_upload_for_the_same_document_may_share(self):
		first = new_file(self.content, self.alice, "a.png", ("User", self.alice))
		again = new_file(self.content, self.alice, "a-again.png", ("User", self.alice))
		self.assertEqual(first.file_url, again.file_url)  # Frappe's saving on disk where nothing leaks

	def test_a_file_of_another_document_cannot_be_used_for_this_one(self):
		file = new_file(self.content, self.alice, "mine.png", ("User", self.alice))
		frappe.set_user(self.alice)
		try:
			self.assertEqual(
				owned_upload(file.file_url, IMAGES, for_document=("User", self.alice)).name, file.name
			)
			self.assertRaises(
				frappe.PermissionError, owned_upload, file.file_url, IMAGES, for_document=("User", self.bob)
			)
		finally:
			frappe.set_user("Administrator")
		frappe.set_user(self.bob)
		try:
			self.assertRaises(frappe.PermissionError, owned_upload, file.file_url, IMAGES)
		finally:
			frappe.set_user("Administrator")
