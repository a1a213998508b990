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
import importlib
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
SKIPPED_DIRS = {"tests", "benchmarks", "node_modules", "__pycache__"}
# built bundles: Desk's (public/dist) and the customer and technician H5 (public/m, public/t, built
# from miniprogram/, which translates with its own dictionary)
SKIPPED_PREFIXES = ("public/dist/", "public/m/", "public/t/")
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
# Frappe's frame around every page of ours (the navbar; a list's views, sidebar and filters; a form's
# timeline, sidebar, toolbar, connections, comment box): its own zh file leaves most of it in English
# ("{0} last edited this", "Connections", "Edit Filters")
DESK_FRAME = {
	"frappe": (
		"public/js/frappe/ui/toolbar/navbar.html",
		"public/js/frappe/list/*.js",
		"public/js/frappe/form/footer/*.js",
		"public/js/frappe/form/sidebar/*.js",
		"public/js/frappe/form/form.js",
		"public/js/frappe/form/toolbar.js",
		"public/js/frappe/form/dashboard.js",
		"public/js/frappe/form/controls/comment.js",
	)
}
# what our Python translates its first argument with (wsgi.py's `_translated` works before Frappe's locals)
TRANSLATING = ("_", "_lt", "_translated")
# a Jinja template's text outside its {{ … }} and {% … %} blocks: what a notification says as written
JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


@dataclass(frozen=True)
class Message:
	text: str
	context: str | None
	where: str
	# False for another app's text (its workspaces in our sidebar), which that app's own file may translate
	ours: bool = True
	# a value stored in a field (a Select option, a hook's name): Desk also shows it without context
	stored: bool = False

	@property
	def key(self) -> str:
		return f"{self.text}:{self.context}" if self.context else self.text


def has_zh(message: Message, zh: dict[str, str]) -> bool:
	"""Translated as Frappe looks it up: with its context first, then without."""
	return bool((message.context and zh.get(message.key)) or zh.get(message.text))


def catalogue(other_apps: tuple[str, ...] = ("frappe",)) -> list[Message]:
	"""Our texts, then the workspaces of `other_apps` (Frappe's "Build", "Users", … sit in the same sidebar)."""
	found = [
		*doctype_messages(),
		*desk_json_messages(),
		*fixture_messages(),
		*code_messages(),
		*module_messages(),
		*sidebar_messages(other_apps),
	]
	return [m for m in found if m.text and is_translatable(m.text)]


def english_texts() -> list[str]:
	"""The catalogue's English texts (ours, and Frappe's around them) but those a zh user may see as
	written (whose Chinese line keeps them: "SLA", "CNY"): what the browser suite must not find on a zh
	operator's screen (`bench execute home_service.tests.zh_catalogue.english_texts`)."""
	from frappe.translate import get_translations_from_apps

	zh = get_translations_from_apps("zh")
	return sorted({m.text for m in catalogue() if zh.get(m.text) != m.text})


def sources(pattern: str) -> Iterator[Path]:
	for path in sorted(APP.rglob(pattern)):
		relative = path.relative_to(APP).as_posix()
		if any(part in SKIPPED_DIRS for part in path.relative_to(APP).parts) or relative.startswith(
			SKIPPED_PREFIXES
		):
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
		yield Message(data.get("description"), None, f"{at} description")
		for field in data.get("fields", []):
			yield Message(field.get("label"), doctype, f"{at} {field['fieldname']}")
			yield Message(field.get("description"), None, f"{at} {field['fieldname']}")
			if field.get("fieldtype") == "Select":
				for option in (field.get("options") or "").split("\n"):
					yield Message(option, doctype, f"{at} {field['fieldname']} option", stored=True)
		for link in data.get("links", []):
			yield Message(link.get("group"), None, f"{at} connections")
		for action in data.get("actions", []):
			yield Message(action.get("label"), None, f"{at} actions")


def desk_json_messages() -> Iterator[Message]:
	"""Workspaces, Number Cards, Dashboard Charts and their sources, reports, pages, print formats."""
	for path in sources("*/workspace/*/*.json"):
		yield from workspace_messages(load(path), where(path))
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
		data = load(path)
		yield Message(data.get("name"), None, where(path))
		yield from jinja_messages(data.get("html") or "", where(path))


def workspace_messages(data: dict, at: str, ours: bool = True) -> Iterator[Message]:
	yield Message(data.get("label"), None, at, ours)
	yield Message(data.get("title"), None, at, ours)
	for key in ("charts", "number_cards", "shortcuts", "links", "quick_lists"):
		for item in data.get(key, []):
			yield Message(item.get("label"), None, f"{at} {key}", ours)
			yield Message(item.get("description"), None, f"{at} {key}", ours)
			yield Message(item.get("format"), None, f"{at} {key}", ours)
	for block in json.loads(data.get("content") or "[]"):
		if block.get("type") in ("header", "paragraph"):
			text = unescape(TAG.sub("", block.get("data", {}).get("text") or "")).strip()
			yield Message(text, None, f"{at} {block['type']}", ours)


def sidebar_messages(apps: tuple[str, ...]) -> Iterator[Message]:
	"""The public workspaces of the other apps, which Desk lists next to ours, and the frame Frappe draws
	around our pages (DESK_FRAME), in the user's language."""
	for app in apps:
		root = Path(importlib.import_module(app).__file__).parent
		for path in sorted(root.glob("*/workspace/*/*.json")):
			data = load(path)
			if data.get("doctype") == "Workspace" and data.get("public"):
				yield from workspace_messages(data, f"{app}/{path.relative_to(root)}", ours=False)
		for pattern in DESK_FRAME.get(app, ()):
			for path in sorted(root.glob(pattern)):
				at = f"{app}/{path.relative_to(root)}"
				if path.suffix == ".html":
					yield from (
						Message(m.text, m.context, m.where, ours=False)
						for m in jinja_messages(path.read_text(encoding="utf-8"), at)
					)
					continue
				for line, _func, args in extract_javascript(path.read_text(encoding="utf-8")):
					text, context = (
						(args[0], args[2] if len(args) > 2 else None)
						if isinstance(args, tuple)
						else (args, None)
					)
					if isinstance(text, str):
						yield Message(text, context, f"{at}:{line}", ours=False)


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
		yield Message(workflow.get("workflow_name") or workflow["name"], None, at)
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
			yield Message(name, context, f"hooks.py {hook}", stored=True)
	for message in DEFAULT_MESSAGES.values():
		yield Message(message, None, "api/errors.py DEFAULT_MESSAGES")
	for template in TEMPLATES:
		yield Message(template, None, "booking/stored_text.py TEMPLATES")
	trees = {}
	for path in sources("*.py"):
		code = path.read_bytes()
		trees[path] = ast.parse(code)
		for line, text, context in translation_calls(code):
			yield Message(text, context, where(path, line))
		for line, label in python_labels(code):
			yield Message(label, None, where(path, line))
		for line, text in translated_constants(trees[path]):
			yield Message(text, None, where(path, line))
	for path, line, text in translated_arguments(trees):
		yield Message(text, None, where(path, line))
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


def strings_in(node: ast.AST) -> Iterator[ast.Constant]:
	"""The string constants of a constant, a tuple or list of them, or a dict's values."""
	if isinstance(node, ast.Constant) and isinstance(node.value, str):
		yield node
	elif isinstance(node, ast.Tuple | ast.List | ast.Set):
		for element in node.elts:
			yield from strings_in(element)
	elif isinstance(node, ast.Dict):
		for value in node.values:
			yield from strings_in(value)


def translated_calls(tree: ast.AST) -> Iterator[ast.Call]:
	for node in ast.walk(tree):
		if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TRANSLATING:
			if node.args:
				yield node


def translated_constants(tree: ast.Module) -> Iterator[tuple[int, str]]:
	"""`_(WARNING)`, `_(LABELS[step])`, `_(STEP_ACTIONS.get(s) or s)`: the module-level constants a
	translation call reads, whose strings (a dict's values) are shown translated."""
	constants = {
		target.id: statement.value
		for statement in tree.body
		if isinstance(statement, ast.Assign)
		for target in statement.targets
		if isinstance(target, ast.Name)
	}
	for call in translated_calls(tree):
		for node in ast.walk(call.args[0]):
			if isinstance(node, ast.Name) and node.id in constants:
				for constant in strings_in(constants[node.id]):
					yield constant.lineno, constant.value


def translated_arguments(trees: dict[Path, ast.Module]) -> Iterator[tuple[Path, int, str]]:
	"""Literal arguments of our functions that translate a parameter: `clean_name(item, "Service item")`
	shows "Service item" in the message, as `_(label)` in `clean_name` translates it. A function that hands
	its parameter on to such a function translates it too (`own_row(..., label)` → `clean_name(name, label)`)."""
	functions = [
		node
		for tree in trees.values()
		for node in ast.walk(tree)
		if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
	]
	translating: dict[str, dict[str, int]] = {}  # function name → {parameter: position}
	changed = True
	while changed:
		changed = False
		for function in functions:
			params = [a.arg for a in function.args.posonlyargs + function.args.args]
			if params and params[0] in ("self", "cls"):  # not among a method call's arguments
				params = params[1:]
			found = translating.setdefault(function.name, {})
			for node in ast.walk(function):
				if not isinstance(node, ast.Call):
					continue
				for param in passed_parameters(node, translating, params):
					if param not in found:
						found[param] = params.index(param)
						changed = True
	translating = {name: params for name, params in translating.items() if params}
	for path, tree in trees.items():
		for node in ast.walk(tree):
			if not isinstance(node, ast.Call):
				continue
			params = translating.get(call_name(node) or "")
			if not params:
				continue
			for param, position in params.items():
				argument = argument_for(node, param, position)
				if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
					yield path, argument.lineno, argument.value


def call_name(call: ast.Call) -> str | None:
	if isinstance(call.func, ast.Name):
		return call.func.id
	if isinstance(call.func, ast.Attribute):
		return call.func.attr
	return None


def argument_for(call: ast.Call, param: str, position: int) -> ast.AST | None:
	for keyword in call.keywords:
		if keyword.arg == param:
			return keyword.value
	return call.args[position] if position < len(call.args) else None


def passed_parameters(
	call: ast.Call, translating: dict[str, dict[str, int]], params: list[str]
) -> Iterator[str]:
	"""The parameters (of the function around `call`) that `call` translates."""
	name = call_name(call)
	if name in TRANSLATING and call.args and isinstance(call.args[0], ast.Name):
		if call.args[0].id in params:
			yield call.args[0].id
		return
	for param, position in (translating.get(name or "") or {}).items():
		argument = argument_for(call, param, position)
		if isinstance(argument, ast.Name) and argument.id in params:
			yield argument.id
