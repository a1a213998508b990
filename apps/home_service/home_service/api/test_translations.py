# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Everything the mini-program API can say is translated: every `_("…")` literal in api/, access/
and integrations/ (and the error layer's default messages) has a row in translations/zh.csv."""

import io
from pathlib import Path

from babel.messages.extract import extract_python

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.translate import clear_cache, get_translation_dict_from_file

from home_service.api.errors import DEFAULT_MESSAGES

APP = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "access", "integrations")


def api_messages() -> dict[str, str]:
	"""{translation key: where it is used}; the key is `message` or `message:context`, as in the CSV."""
	found = {message: "api/errors.py DEFAULT_MESSAGES" for message in DEFAULT_MESSAGES.values()}
	for package in PACKAGES:
		for file in sorted((APP / package).rglob("*.py")):
			if file.name.startswith("test_"):
				continue
			for line, key in translation_keys(file.read_bytes()):
				found.setdefault(key, f"{file.relative_to(APP)}:{line}")
	return found


def translation_keys(code: bytes):
	"""(line, key) of each `_()` call, as Frappe's extractor finds them but without its slip that
	reads the second letter of a two-letter message ("To") as a context."""
	for line, _func, args, _comments in extract_python(
		io.BytesIO(code), keywords=["_", "_lt"], comment_tags=(), options={}
	):
		message, context = (
			(args[0], args[1] if len(args) == 2 else None) if isinstance(args, tuple) else (args, None)
		)
		if message:
			yield line, f"{message}:{context}" if context else message


class TestApiTranslations(FrappeTestCase):
	def test_every_api_message_has_a_chinese_translation(self):
		messages = api_messages()
		self.assertGreater(len(messages), 150)  # the extraction sees the code
		zh = get_translation_dict_from_file(str(APP / "translations" / "zh.csv"), "zh", "home_service")
		missing = {key: where for key, where in messages.items() if not zh.get(key)}
		self.assertEqual(missing, {}, "add these to translations/zh.csv")

	def test_the_extraction_finds_messages_and_contexts(self):
		code = b'_("To"); _("From", context="HS Technician Leave"); _("{0} a").format(_("b"))'
		self.assertEqual(
			[key for _line, key in translation_keys(code)], ["To", "From:HS Technician Leave", "{0} a", "b"]
		)

	def test_an_api_message_reaches_the_client_in_chinese(self):
		clear_cache()  # Frappe keeps the merged dictionary per language in Redis
		self.assertEqual(frappe._("Method not allowed.", lang="zh"), "不支持该请求方法。")
