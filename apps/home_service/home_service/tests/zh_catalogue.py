# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Every text of ours that Desk or the API can show a user, read from the sources, with where it is.

Desk translates what the model declares (DocType names, field labels, Select options, section and tab
labels, descriptions), the Workspace, its Number Cards and Dashboard Charts, reports and pages, the
Workflow states and actions, role names, and every `__("…")` of our scripts; the server translates
every `_("…")`. A key is the message, or `message:context` when Desk asks with a context (a label or
an option with its DocType): Frappe falls back to the message without context, and so does `has_zh`.
"""

import ast
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from babel.messages.extract import extract_python

from frappe.gettext.extractors.javascript import extract_javascript
from frappe.gettext.extractors.utils import TRANSLATE_PATTERN, is_translatable

APP = Path(__file__).resolve().parents[1]
SKIPPED_DIRS = {"tests", "benchmarks", "public/dist", "node_modules", "__pycache__"}
TAG = re.compile(r"<[^>]+>")
JS_LABEL = re.compile(r"""\blabel\s*:\s*(["'])((?:(?!\1).)+)\1""")
# hooks whose names Desk shows (a dispatch strategy, a payment gateway, ...), with the DocType they are
# shown for: stored in Data fields, so no Select option carries them
HOOK_NAMES = {
	"hs_dispatch_strategies": "HS Dispatch Rule",
	"hs_payment_gateways": "HS Payment",
	"hs_notification_channels": "HS Notification Log",
	"hs_pricing_models": "HS Service Item",
	"hs_sms_providers": "HS Settings",
}
# a Jinja template's text outside its {{ … }} and {% … %} blocks: what a notification says as written
JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass(frozen=True)
class Message:
	text: str
	context: str | None
	where: str

	@property
	def key(self) -> str:
		return f"{self.text}:{self.context}" if self.context else self.text


def has_zh(message: Message, zh: dict[str, str]) -> bool:
	"""Translated as Frappe looks it up: with its context first, then without."""
	return bool((message.context and zh.get(message.key)) or zh.get(message.text))


def catalogue() -> list[Message]:
	found = [
		*doctype_messages(),
		*desk_json_messages(),
		*fixture_messages(),
		*code_messages(),
		*module_messages(),
	]
	return [m for m in found if m.text and is_translatable(m.text)]


def sources(pattern: str) -> Iterator[Path]:
	for path in sorted(APP.rglob(pattern)):
		relative = path.relative_to(APP).as_posix()
		if any(part in SKIPPED_DIRS for part in path.relative_to(APP).parts) or "public/dist" in relative:
			continue
		if path.name.startswith("test_"):
			continue
		yield path


def where(path: Path, line: int | None = None) -> str:
	return f"{path.relative_to(APP)}:{line}" if line else str(path.relative_to(APP))


def load(path: Path) -> dict | list:
	return json.loads(path.read_text(encoding="utf-8"))


# --- the model ----------------------------------------------------------------------------------
def doctype_messages() -> Iterator[Message]:
	for path in sources("*/doctype/*/*.json"):
		data = load(path)
		if not isinstance(data, dict) or data.get("doctype") != "DocType":
			continue
		doctype = data["name"]
		at = where(path)
		yield Message(doctype, None, at)
		for field in data.get("fields", []):
			yield Message(field.get("label"), doctype, f"{at} {field['fieldname']}")
			yield Message(field.get("description"), None, f"{at} {field['fieldname']}")
			if field.get("fieldtype") == "Select":
				for option in (field.get("options") or "").split("\n"):
					yield Message(option, doctype, f"{at} {field['fieldname']} option")
		for link in data.get("links", []):
			yield Message(link.get("group"), None, f"{at} connections")
		for action in data.get("actions", []):
			yield Message(action.get("label"), None, f"{at} actions")


def desk_json_messages() -> Iterator[Message]:
	"""Workspaces, Number Cards, Dashboard Charts and their sources, reports, pages, print formats."""
	for path in sources("*/workspace/*/*.json"):
		data, at = load(path), where(path)
		yield Message(data.get("label"), None, at)
		yield Message(data.get("title"), None, at)
		for key in ("charts", "number_cards", "shortcuts", "links", "quick_lists"):
			for item in data.get(key, []):
				yield Message(item.get("label"), None, f"{at} {key}")
				yield Message(item.get("description"), None, f"{at} {key}")
				yield Message(item.get("format"), None, f"{at} {key}")
		for block in json.loads(data.get("content") or "[]"):
			if block.get("type") in ("header", "paragraph"):
				text = unescape(TAG.sub("", block.get("data", {}).get("text") or "")).strip()
				yield Message(text, None, f"{at} {block['type']}")
	for path in sources("*/number_card/*/*.json"):
		yield Message(load(path).get("label"), None, where(path))
	for path in sources("*/dashboard_chart/*/*.json"):
		yield Message(load(path).get("chart_name"), None, where(path))
	for path in sources("*/dashboard_chart_source/*/*.json"):
		yield Message(load(path).get("source_name"), None, where(path))
	for path in sources("*/report/*/*.json"):
		data, at = load(path), where(path)
		yield Message(data.get("report_name"), None, at)
		for column in data.get("columns", []):
			yield Message(column.get("label"), None, f"{at} columns")
		for report_filter in data.get("filters", []):
			yield Message(report_filter.get("label"), None, f"{at} filters")
	for path in sources("*/page/*/*.json"):
		yield Message(load(path).get("title"), None, where(path))
	for path in sources("*/print_format/*/*.json"):
		yield from jinja_messages(load(path).get("html") or "", where(path))


def jinja_messages(template: str, at: str) -> Iterator[Message]:
	for match in TRANSLATE_PATTERN.finditer(template):
		yield Message(match.group("message"), match.group("py_context"), at)


def fixture_messages() -> Iterator[Message]:
	fixtures = APP / "fixtures"
	for role in load(fixtures / "role.json"):
		yield Message(role.get("role_name") or role["name"], None, "fixtures/role.json")
	for state in load(fixtures / "workflow_state.json"):
		yield Message(state["name"], None, "fixtures/workflow_state.json")
	for action in load(fixtures / "workflow_action_master.json"):
		yield Message(action["name"], None, "fixtures/workflow_action_master.json")
	for workflow in load(fixtures / "workflow.json"):
		at = f"fixtures/workflow.json {workflow['name']}"
		for state in workflow.get("states", []):
			yield Message(state.get("state"), None, at)
			yield Message(state.get("message"), None, at)
		for transition in workflow.get("transitions", []):
			yield Message(transition.get("action"), None, at)
	for notification in load(fixtures / "notification.json"):
		at = f"fixtures/notification.json {notification['name']}"
		for part in ("subject", "message"):
			yield from jinja_messages(notification.get(part) or "", at)


def untranslatable_notification_text() -> dict[str, str]:
	"""{notification: its words written outside `_()`}: Frappe renders a Notification once, as written."""
	found = {}
	for notification in load(APP / "fixtures" / "notification.json"):
		for part in ("subject", "message"):
			text = JINJA_BLOCK.sub("", notification.get(part) or "")
			if re.search("[A-Za-z]", TAG.sub("", text)):
				found[f"{notification['name']} {part}"] = text.strip()
	return found


def module_messages() -> Iterator[Message]:
	for module in (APP / "modules.txt").read_text().split():
		yield Message(module, None, "modules.txt")


# --- the code -----------------------------------------------------------------------------------
def code_messages() -> Iterator[Message]:
	from home_service import hooks
	from home_service.api.errors import DEFAULT_MESSAGES
	from home_service.booking.stored_text import TEMPLATES

	yield Message(hooks.app_title, None, "hooks.py app_title")
	for hook, context in HOOK_NAMES.items():
		for name in getattr(hooks, hook):
			yield Message(name, context, f"hooks.py {hook}")
	for message in DEFAULT_MESSAGES.values():
		yield Message(message, None, "api/errors.py DEFAULT_MESSAGES")
	for template in TEMPLATES:
		yield Message(template, None, "booking/stored_text.py TEMPLATES")
	for path in sources("*.py"):
		code = path.read_bytes()
		for line, text, context in translation_calls(code):
			yield Message(text, context, where(path, line))
		for line, label in python_labels(code):
			yield Message(label, None, where(path, line))
	for path in sources("*.js"):
		code = path.read_text(encoding="utf-8")
		for line, _func, args in extract_javascript(code):
			text, context = (
				(args[0], args[2] if len(args) > 2 else None) if isinstance(args, tuple) else (args, None)
			)
			if isinstance(text, str):
				yield Message(text, context, where(path, line))
		for match in JS_LABEL.finditer(code):
			yield Message(match.group(2), None, where(path, code.count("\n", 0, match.start()) + 1))


def translation_calls(code: bytes) -> Iterator[tuple[int, str, str | None]]:
	"""(line, message, context) of each `_()` call, as Frappe's extractor finds them but without its
	slip that reads the second letter of a two-letter message ("To") as a context."""
	for line, _func, args, _comments in extract_python(
		io.BytesIO(code), keywords=["_", "_lt"], comment_tags=(), options={}
	):
		message, context = (
			(args[0], args[1] if len(args) == 2 else None) if isinstance(args, tuple) else (args, None)
		)
		if message:
			yield line, message, context


def python_labels(code: bytes) -> Iterator[tuple[int, str]]:
	"""`"label": "…"` written as a plain string (a report column, a dialog field): Desk shows it as is
	unless a translation exists, so it needs one like any `_()`."""
	for node in ast.walk(ast.parse(code)):
		if not isinstance(node, ast.Dict):
			continue
		for key, value in zip(node.keys, node.values, strict=True):
			if (
				isinstance(key, ast.Constant)
				and key.value == "label"
				and isinstance(value, ast.Constant)
				and isinstance(value.value, str)
			):
				yield value.lineno, value.value
