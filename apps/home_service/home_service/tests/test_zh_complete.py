# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Chinese everywhere an operator looks: every text of ours that Desk or the API shows a zh user has a
line in translations/zh.csv, in the glossary's words (translations/GLOSSARY.md).

The texts are read from the sources at run time (tests/zh_catalogue.py: DocType JSON, the workspace,
number cards, charts, reports, pages, the Workflow, roles and Notifications, every `_()` of our Python
and `__()` of our scripts), so a new label, option or message without its Chinese line fails here with
where it is. Frappe's own zh file is not enough for ours: it reads "Console" as 安慰 and "Points" as 点.
"""

import csv
import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.translate import clear_cache, get_translation_dict_from_file, get_translations_from_apps

from home_service.tests.zh_catalogue import APP, catalogue, has_zh, untranslatable_notification_text

ZH = APP / "translations" / "zh.csv"
GLOSSARY = APP / "translations" / "GLOSSARY.md"
PLACEHOLDER = re.compile(r"\{\d*\}")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")
SAMPLE = "Q7"  # a value the rendered notifications carry as given (a name, a link)


def zh_file() -> dict[str, str]:
	return get_translation_dict_from_file(str(ZH), "zh", "home_service", throw=True)


def zh_rows() -> list[list[str]]:
	with open(ZH, encoding="utf-8", newline="") as f:
		return [row for row in csv.reader(f) if row]


def listing(items) -> str:
	return "\n".join(f"  {item}" for item in items)


def glossary() -> tuple[list[tuple[str, str, list[str]]], set[str]]:
	"""(English, 中文, words never to use) of each row, and the words "kept as written"."""
	rows, kept = [], set()
	for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
		cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
		if line.startswith("|") and len(cells) == 3 and not set(cells[0]) <= {"-"} and cells[0] != "English":
			never = [w.strip() for w in cells[2].split(",") if w.strip()]
			rows.append((cells[0], cells[1], never))
		if line.startswith("Kept as written"):
			kept |= set(re.findall(r"`([^`]+)`", line))
	return rows, kept


class TestZhComplete(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		clear_cache()  # the merged dictionary Desk and `_()` read is cached in Redis
		others = tuple(app for app in frappe.get_installed_apps() if app != "home_service")
		cls.messages = catalogue(other_apps=others)
		cls.zh = zh_file()
		cls.merged = get_translations_from_apps("zh")  # every app's file, ours last (what users get)

	def test_the_catalogue_reaches_every_kind_of_text(self):
		"""A guard on the derivation itself: each source the catalogue reads gives it messages, among
		them the ones a zh operator found in English (issue 20, point 6)."""
		texts = {m.text for m in self.messages}
		doctypes = {
			frappe.parse_json(p.read_text(encoding="utf-8"))["name"]
			for p in APP.glob("*/doctype/*/*.json")
			if p.stem == p.parent.name
		}
		self.assertGreaterEqual(len(doctypes), 42)
		self.assertFalse(doctypes - texts)
		kinds = {m.where.split(" ")[0].split(":")[0].rsplit(".", 1)[-1] for m in self.messages}
		self.assertTrue({"json", "py", "js", "txt"} <= kinds, kinds)
		for expected in (
			"HS Payment",
			"HS Ledger Entry",
			"Wechatpay Apiv3 Key",  # HS Payment Settings
			"Request Refund",  # hs_booking.js __()
			"Approved Extras",  # a section label
			"Auto Assign",  # a dispatch strategy (hooks)
			"Offered to {0}",  # a stored dispatch outcome
			"Paid with {0}",
			"Round {0}",
			"Nothing to pay",  # timeline notes
			"Booking {0} ({1}) has nothing to pay.",  # the paid notification for a free booking
			"Coupon: {0}",  # a quote line
			"WeChat user",  # the default customer name
			"Bookings by Status",  # a dashboard chart
			"Build",  # Frappe's workspace in the same sidebar
			"Bookings Created",  # a report label read from a constant
			"Service item",  # a translated argument (clean_name)
		):
			self.assertIn(expected, texts)

	def test_every_text_of_ours_has_a_zh_line(self):
		missing = {}
		for message in self.messages:
			if message.ours and not has_zh(message, self.zh):
				missing.setdefault(message.key, message.where)
		self.assertFalse(
			missing,
			f"{len(missing)} texts of ours have no line in translations/{ZH.name} (message[:context] — where):\n"
			+ listing(f"{key!r} — {at}" for key, at in sorted(missing.items())),
		)

	def test_stored_values_read_in_chinese_without_context(self):
		"""A Select option or hook name is shown with its DocType as context in the form, but Frappe's list
		indicators, list and report cells, filters and group-by sidebar translate it without: it needs a
		line without context too (ours, or Frappe's when it reads right)."""
		missing = {m.text: m.where for m in self.messages if m.stored and not self.merged.get(m.text)}
		self.assertFalse(missing, listing(f"{text!r} — {at}" for text, at in sorted(missing.items())))

	def test_the_sidebar_of_other_apps_is_in_chinese(self):
		"""Frappe's workspaces (Build, Users, …) sit next to ours; its file or ours translates them."""
		missing = {m.text: m.where for m in self.messages if not m.ours and not has_zh(m, self.merged)}
		self.assertFalse(missing, listing(f"{text!r} — {at}" for text, at in sorted(missing.items())))

	def test_our_lines_are_the_ones_users_get(self):
		"""Ours win over another app's line for the same text (apps merge in install order)."""
		overridden = {
			key: (ours, self.merged.get(key)) for key, ours in self.zh.items() if self.merged.get(key) != ours
		}
		self.assertFalse(
			overridden, listing(f"{k!r}: ours {v[0]!r}, users get {v[1]!r}" for k, v in overridden.items())
		)
		self.assertEqual(frappe._("WeChat user", lang="zh"), self.zh["WeChat user"])
		self.assertEqual(frappe._("Online", lang="zh", context="HS Technician"), "在线")

	def test_no_zh_line_is_left_over(self):
		"""A line whose text none of our sources shows any more goes with it."""
		used = {m.key for m in self.messages} | {m.text for m in self.messages}
		stale = sorted(key for key in self.zh if key not in used)
		self.assertFalse(
			stale, f"{len(stale)} lines of zh.csv translate a text nothing shows:\n" + listing(stale)
		)

	def test_one_line_per_text(self):
		seen, twice = {}, []
		for number, row in enumerate(zh_rows(), 1):
			key = (row[0], row[2] if len(row) > 2 else "")
			if key in seen:
				twice.append(f"{row} repeats line {seen[key]}")
			seen[key] = number
		self.assertFalse(twice, listing(twice))

	def test_translations_keep_their_placeholders(self):
		broken = [
			row
			for row in zh_rows()
			if not row[1].strip()
			or sorted(PLACEHOLDER.findall(row[0])) != sorted(PLACEHOLDER.findall(row[1]))
		]
		self.assertFalse(broken, listing(broken))

	def test_the_glossary_words(self):
		"""One Chinese word for each term: the words the glossary says never to use do not appear."""
		rows, _kept = glossary()
		self.assertTrue(rows)
		never = {word for _en, _zh, words in rows for word in words if "(" not in word}
		self.assertTrue(never)
		found = {key: text for key, text in self.zh.items() for word in never if word in text}
		self.assertFalse(found, listing(f"{k!r} → {v!r}" for k, v in sorted(found.items())))
		# 线上 only for a channel or a payment; a technician's status is 在线 / 离线
		self.assertEqual(self.zh.get("Online:HS Technician"), "在线")
		self.assertEqual(self.zh.get("Offline"), "离线")

	def test_stored_texts_read_in_chinese(self):
		"""A timeline note, dispatch outcome or price line stored in English from one of stored_text's
		templates reads in Chinese for a zh reader (the template matches its own text and has a line)."""
		from home_service.booking.stored_text import TEMPLATES, translated

		_rows, kept = glossary()
		english = []
		for template in TEMPLATES:
			text = template.format(*[SAMPLE] * len(PLACEHOLDER.findall(template)))
			shown = translated(text, "zh")
			if shown == text or set(LATIN_WORD.findall(shown.replace(SAMPLE, " "))) - kept:
				english.append(f"{text!r} → {shown!r}")
		self.assertFalse(english, listing(english))
		self.assertEqual(translated("Coupon: 新客立减", "zh"), "优惠券：新客立减")

	def test_notifications_speak_chinese_to_a_zh_recipient(self):
		"""Every shipped Notification rendered for a zh reader: no English word but the values it carries
		(and the glossary's kept words), for an amount of 0 as well (no "¥0.00 paid")."""
		self.assertEqual(untranslatable_notification_text(), {})
		_rows, kept = glossary()
		notifications = frappe.get_all(
			"Notification", filters={"document_type": ["like", "HS %"]}, pluck="name"
		)
		self.assertIn("HS Booking Paid", notifications)
		english = []
		for notification in notifications:
			for amount in (0, 88.5):
				for text in render_in_zh(notification, amount):
					if set(LATIN_WORD.findall(text.replace(SAMPLE, " "))) - kept:
						english.append(f"{notification} ({amount}): {text}")
		self.assertFalse(english, listing(english))
		free = " ".join(render_in_zh("HS Booking Paid", 0))
		self.assertNotIn("¥", free)
		self.assertIn(frappe._("Booking {0} ({1}) has nothing to pay.", lang="zh").split("{")[0], free)


def render_in_zh(notification: str, amount: float) -> list[str]:
	"""The subject and message of `notification` as Frappe renders them for a zh recipient."""
	settings = frappe.get_doc("Notification", notification)
	doc = sample_doc(settings.document_type, amount)
	previous, frappe.local.lang = frappe.local.lang, "zh"
	try:
		return [
			frappe.render_template(part or "", {"doc": doc}) for part in (settings.subject, settings.message)
		]
	finally:
		frappe.local.lang = previous


def sample_doc(doctype: str, amount: float) -> frappe._dict:
	"""A record of `doctype` with a value in every field: numbers `amount`, a Select its first option."""
	doc = frappe._dict(doctype=doctype, name=SAMPLE)
	for field in frappe.get_meta(doctype).fields:
		if field.fieldtype in ("Currency", "Float", "Int", "Percent"):
			doc[field.fieldname] = amount
		elif field.fieldtype == "Select":
			doc[field.fieldname] = next((o for o in (field.options or "").split("\n") if o), SAMPLE)
		elif field.fieldtype in ("Date",):
			doc[field.fieldname] = "2026-12-07"
		elif field.fieldtype in ("Datetime",):
			doc[field.fieldname] = "2026-12-07 10:00:00"
		else:
			doc[field.fieldname] = SAMPLE
	return doc
