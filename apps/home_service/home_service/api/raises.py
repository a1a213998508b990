"""Which errors a method can answer with, read from its source and from the app code it calls.

The OpenAPI document (api/openapi.py) lists them per operation, so they follow the code: nothing to
declare, nothing to forget. Followed from a function:

- `raise X(...)`, `frappe.throw(message, X)` (ValidationError without X), `has_permission(...,
  throw=True)` and `check_permission()` (PermissionError), `frappe.get_doc(doctype, name)`
  (DoesNotExistError), and exception classes passed to or defaulted in the functions it calls (e.g.
  `refuse(message, InvalidInputError)`); app functions passed to a call are taken as called back;
- calls of the app's functions and classes, found through module globals, closures, imports inside
  the function, `self.` / `cls.`, and variables assigned from a call (`client = WeChatMiniProgram()`,
  `doc = frappe.get_doc("HS Booking", name)`): a document of an HS DocType brings its controller's
  lifecycle methods and its doc_events hooks along.

"The app" is core and every app with an API package (`hs_api_packages`): an add-on's endpoints are
followed through its own code and core's alike.

Only exceptions with an HTTP status (Frappe's style) count: a ValueError is a bug, not an answer.
Not followed: Frappe's internals (the errors of its request handling are listed for every operation by
api/openapi.py), background jobs, and hooks read from lists at run time. The HTTP suites check the
result against every error answer they see (tests/openapi_errors.py).
"""

import ast
import builtins
import functools
import importlib
import importlib.util
import inspect
import os
import textwrap
import types

import frappe
from frappe.model.base_document import get_controller

APP = "home_service."
APP_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
LOADERS = ("get_doc", "new_doc", "get_cached_doc", "get_last_doc")
LIFECYCLE = (
	"autoname",
	"before_naming",
	"before_validate",
	"validate",
	"before_insert",
	"after_insert",
	"before_save",
	"on_update",
	"before_submit",
	"on_submit",
	"on_update_after_submit",
	"before_cancel",
	"on_cancel",
	"on_trash",
	"after_delete",
	"db_insert",
	"db_update",
)
WRITES = ("insert", "save", "submit", "cancel", "delete", "reload", "run_method")


def _apps() -> tuple[tuple[str, ...], tuple[str, ...]]:
	"""(module prefixes, source directories) of core and of the apps that add API packages."""
	names = sorted({APP[:-1]} | {package.split(".")[0] for package in frappe.get_hooks("hs_api_packages")})
	return tuple(name + "." for name in names), tuple(_source_dir(name) for name in names)


@functools.cache
def _source_dir(app: str) -> str:
	return APP_DIR if app + "." == APP else os.path.dirname(importlib.util.find_spec(app).origin) + os.sep


def raised_by(fn) -> set[type]:
	"""Exception classes (with an http_status_code) `fn` and the app code it reaches can raise."""
	found, seen, todo = set(), set(), [fn]
	while todo:
		target = todo.pop()
		key = _key(target)
		if key is None or key in seen:
			continue
		seen.add(key)
		raised, callees = _summary(target)
		found |= raised
		todo.extend(callees)
	return found


def _key(target):
	if isinstance(target, type):
		return target
	code = getattr(_own(target), "__code__", None)
	return code


def _own(target):
	"""The app function behind `target` (through decorators from other packages), or None."""
	while target is not None:
		if isinstance(target, classmethod | staticmethod):
			target = target.__func__
		if isinstance(target, types.MethodType):
			target = target.__func__
		if inspect.isfunction(target) and target.__code__.co_filename.startswith(_apps()[1]):
			return target  # by where its code is: functools.wraps copies __module__ to wrappers
		target = getattr(target, "__wrapped__", None)
	return None


@functools.cache
def _summary_of_class(cls: type) -> tuple[frozenset, tuple]:
	"""A class the app calls: its own constructor; a document controller: its lifecycle and hooks."""
	callees = [
		member
		for klass in cls.__mro__
		if (klass.__module__ or "").startswith(_apps()[0])
		for name, member in vars(klass).items()
		if name == "__init__" or name in LIFECYCLE
	]
	doctype = {controller: name for name, controller in _controllers().items()}.get(cls)
	if doctype:
		for event, methods in (frappe.get_hooks("doc_events").get(doctype) or {}).items():
			if event in LIFECYCLE:
				callees.extend(_attr(path) for path in methods)
	return frozenset(), tuple(c for c in callees if c is not None)


def _summary(target) -> tuple[frozenset, tuple]:
	if isinstance(target, type):
		return (
			_summary_of_class(target)
			if (target.__module__ or "").startswith(_apps()[0])
			else (frozenset(), ())
		)
	fn = _own(target)
	return _summary_of_function(fn) if fn else (frozenset(), ())


@functools.cache
def _summary_of_function(fn) -> tuple[frozenset, tuple]:
	try:
		tree = ast.parse(textwrap.dedent(inspect.getsource(fn.__code__)))  # a function's would unwrap it
	except (OSError, TypeError, SyntaxError):
		return frozenset(), ()
	reader = _Reader(fn, tree)
	raised = {exc for exc in reader.raised if _answers(exc)}
	for default in (*(fn.__defaults__ or ()), *(fn.__kwdefaults__ or {}).values()):
		if _answers(default):  # def refuse(message, exc=FrappeTypeError)
			raised.add(default)
	return frozenset(raised), tuple(reader.callees)


def _answers(obj) -> bool:
	return isinstance(obj, type) and issubclass(obj, Exception) and hasattr(obj, "http_status_code")


class _Reader:
	"""One function's raise statements and the app objects it calls."""

	def __init__(self, fn, tree: ast.AST):
		self.names = {**vars(builtins), **fn.__globals__, **_closure(fn)}
		self.owner = _owner_class(fn)
		self.types: dict[str, object] = {}  # variable -> class of the object assigned to it
		self.raised: set[type] = set()
		self.callees: list = []
		nodes = list(ast.walk(tree))
		for node in nodes:
			if isinstance(node, ast.Import | ast.ImportFrom):
				self.names.update(_imported(node, fn.__globals__.get("__package__") or ""))
		for node in nodes:
			if (
				isinstance(node, ast.Assign)
				and len(node.targets) == 1
				and isinstance(node.targets[0], ast.Name)
			):
				kind = self.kind(node.value)
				if kind is not None:
					self.types[node.targets[0].id] = kind
		for node in nodes:
			if isinstance(node, ast.Raise) and node.exc is not None:
				exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
				self.add_raised(self.resolve(exc) or self.types.get(getattr(exc, "id", None)))
			elif isinstance(node, ast.Call):
				self.call(node)

	def add_raised(self, obj) -> None:
		if _answers(obj):
			self.raised.add(obj)

	def call(self, node: ast.Call) -> None:
		target = self.resolve(node.func)
		keywords = {k.arg: k.value for k in node.keywords}
		name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
		if target is frappe.throw:
			exc = node.args[1] if len(node.args) > 1 else keywords.get("exc")
			self.add_raised(self.resolve(exc) if exc is not None else frappe.ValidationError)
			return
		if name in ("has_permission", "only_for") and _true(
			keywords.get("throw", ast.Constant(name == "only_for"))
		):
			self.raised.add(frappe.PermissionError)
		if name == "check_permission":
			self.raised.add(frappe.PermissionError)
		if name == "get_doc" and target is frappe.get_doc and len(node.args) > 1:
			self.raised.add(frappe.DoesNotExistError)
		kind = self.kind(node)
		if isinstance(kind, type):
			self.callees.append(kind)  # a controller in play: its lifecycle and hooks
		for arg in (*node.args, *(k.value for k in node.keywords)):
			passed = self.resolve(arg)
			if passed is None and isinstance(arg, ast.Attribute):  # client.code2session, Cls().method
				holder = self.kind(arg.value)
				passed = getattr(holder, arg.attr, None) if isinstance(holder, type) else None
			self.add_raised(passed)  # refuse(message, InvalidInputError)
			if _own(passed):
				self.callees.append(passed)  # step(..., check=check_in_distance): called back
		if target is not None and (_own(target) or isinstance(target, type)):
			self.callees.append(target)
		elif isinstance(node.func, ast.Attribute) and node.func.attr not in WRITES:
			holder = self.kind(node.func.value)
			method = getattr(holder, node.func.attr, None) if isinstance(holder, type) else None
			if method is not None:
				self.callees.append(method)

	def kind(self, node: ast.AST):
		"""The class of the object an expression gives, when it can be told from the source."""
		if isinstance(node, ast.Name):
			if node.id in ("self", "cls"):
				return self.owner
			return self.types.get(node.id)
		if not isinstance(node, ast.Call):
			return None
		target = self.resolve(node.func)
		if isinstance(target, type):
			return target
		if getattr(target, "__name__", None) in LOADERS and getattr(target, "__module__", "").startswith(
			"frappe"
		):
			return _controller(_literal_doctype(node))
		if isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
			return self.kind(node.func.value)  # frappe.get_doc({...}).insert()
		return None

	def resolve(self, node: ast.AST | None):
		"""The object a name or dotted name refers to (module globals, closures, local imports)."""
		if isinstance(node, ast.Name):
			if node.id in ("self", "cls"):
				return self.owner
			return self.names.get(node.id)
		if isinstance(node, ast.Attribute):
			base = self.resolve(node.value)
			if base is None:
				return None
			try:
				return inspect.getattr_static(base, node.attr)
			except AttributeError:
				return None
		return None


def _true(node) -> bool:
	return isinstance(node, ast.Constant) and bool(node.value)


def _closure(fn) -> dict:
	values = {}
	for name, cell in zip(fn.__code__.co_freevars, fn.__closure__ or (), strict=False):
		try:
			values[name] = cell.cell_contents
		except ValueError:  # not filled yet
			continue
	return values


def _owner_class(fn):
	parts = fn.__qualname__.split(".")
	if len(parts) < 2 or "<locals>" in parts:
		return None
	owner = fn.__globals__.get(parts[0])
	for part in parts[1:-1]:
		owner = getattr(owner, part, None)
	return owner if isinstance(owner, type) else None


def _imported(node: ast.Import | ast.ImportFrom, package: str) -> dict:
	names = {}
	try:
		if isinstance(node, ast.Import):
			for alias in node.names:
				top = importlib.import_module(alias.name)
				names[alias.asname or alias.name.split(".")[0]] = (
					top if alias.asname else importlib.import_module(alias.name.split(".")[0])
				)
			return names
		base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
		source = importlib.import_module(base)
		for alias in node.names:
			value = getattr(source, alias.name, None)
			if value is None:
				try:
					value = importlib.import_module(f"{base}.{alias.name}")
				except ImportError:
					continue
			names[alias.asname or alias.name] = value
	except ImportError:
		pass
	return names


def _literal_doctype(call: ast.Call) -> str | None:
	first = call.args[0] if call.args else None
	if isinstance(first, ast.Constant) and isinstance(first.value, str):
		return first.value
	if isinstance(first, ast.Dict):
		for key, value in zip(first.keys, first.values, strict=True):
			if isinstance(key, ast.Constant) and key.value == "doctype" and isinstance(value, ast.Constant):
				return value.value
	return None


@functools.cache
def _controllers() -> dict[str, type]:
	"""The app's DocType controllers by DocType (for what a document of an HS DocType brings along)."""
	controllers = {}
	for doctype in frappe.get_all("DocType", filters={"name": ["like", "HS %"], "istable": 0}, pluck="name"):
		try:
			controller = get_controller(doctype)
		except Exception:  # a DocType of another version of the app, not migrated yet
			continue
		if (controller.__module__ or "").startswith(_apps()[0]):
			controllers[doctype] = controller
	return controllers


def _controller(doctype: str | None):
	return _controllers().get(doctype or "")


def _attr(path: str):
	try:
		return frappe.get_attr(path)
	except Exception:
		return None
