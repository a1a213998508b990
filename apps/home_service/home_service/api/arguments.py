"""The arguments of every `@endpoint`, checked against its type hints before the endpoint runs.

One place decides what a client may send, so no endpoint sees a value of the wrong kind and no bad
value reaches the database as a 500 (a lone surrogate such as "\\ud800" cannot be encoded for MariaDB).
Each refusal is a 422 that names the argument (`items[0].service_item`): INVALID_ARGUMENT for a value
of the wrong kind, missing or not valid text, INVALID_INPUT for one out of its declared range.

Frappe's own check (frappe.utils.typing_validations, pydantic in lax mode) is switched off for our
endpoints by the registry because it runs first and lets `true` through as the integer 1; this one is
strict about JSON types and still accepts the strings a query string or a form sends ("2", "true").

Ranges are declared on the hint, `rating: Annotated[int, Range(1, 5)]`, and checked here too, so a
value out of range is refused before the endpoint loads anything (a 422, never a 409 about state).
"""

import inspect
import math
import re
import types
import typing
from dataclasses import dataclass

import frappe
from frappe import _, _lt

from home_service.utils.text import InvalidInputError

MAX_TEXT = 10_000  # characters in any one string; the longest free text we keep is 1,000
_INTEGER = re.compile(r"^[+-]?[0-9]{1,18}$")
_DECIMAL = re.compile(r"^[+-]?([0-9]{1,18}(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$")
_TRUE, _FALSE = ("1", "true", "yes"), ("0", "false", "no")


@dataclass(frozen=True)
class Range:
	"""`Annotated[int, Range(1, 5)]`: inclusive bounds of a numeric argument (None: unbounded)."""

	low: float | None = None
	high: float | None = None


class _Mismatch(Exception):
	"""The value is not of the hinted kind (internal: a Union tries its next option)."""


def check(signature: inspect.Signature, hints: dict, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
	"""(args, kwargs) converted to the hinted types; a 422 naming the first argument that is missing,
	of the wrong kind, out of range or not valid text."""
	try:
		bound = signature.bind(*args, **kwargs)
	except TypeError:
		given = set(kwargs) | set(list(signature.parameters)[: len(args)])
		missing = [
			p.name
			for p in signature.parameters.values()
			if p.default is p.empty
			and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
			and p.name not in given
		]
		if len(missing) == 1:
			refuse(_("Missing argument: {0}.").format(missing[0]))
		refuse(_("Missing arguments: {0}.").format(", ".join(missing) or "?"))
	for name, value in bound.arguments.items():
		param = signature.parameters[name]
		if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
			_check_text(name, value)
		elif not (value is None and param.default is None):  # an explicit null for a None default
			bound.arguments[name] = convert(name, value, hints.get(name, typing.Any))
	return bound.args, bound.kwargs


def convert(path: str, value, hint):
	"""`value` as the type `hint` describes (see the module docstring); refuses with `path` named."""
	try:
		return _convert(path, value, hint)
	except _Mismatch:
		refuse(_("Argument {0} must be {1}, not {2}.").format(path, describe(hint), kind_of(value)))


def _convert(path: str, value, hint):
	origin, params = typing.get_origin(hint), typing.get_args(hint)
	if origin is typing.Annotated:
		value = _convert(path, value, params[0])
		for bound in hint.__metadata__:
			if isinstance(bound, Range):
				_check_range(path, value, bound)
		return value
	if origin in (typing.Union, types.UnionType):
		if value is None and type(None) in params:
			return None
		for option in params:
			if option is not type(None):
				try:
					return _convert(path, value, option)
				except _Mismatch:
					continue
		raise _Mismatch
	if origin is typing.Literal:
		if value in params and not isinstance(value, bool):
			return value
		raise _Mismatch
	if hint in (typing.Any, inspect.Parameter.empty):
		_check_text(path, value)
		return value
	if origin in (list, tuple, set) or hint in (list, tuple, set):
		if not isinstance(value, list):
			raise _Mismatch
		item = params[0] if params else typing.Any
		return [convert(f"{path}[{i}]", v, item) for i, v in enumerate(value)]
	if origin is dict or hint is dict:
		if not isinstance(value, dict):
			raise _Mismatch
		item = params[1] if len(params) == 2 else typing.Any
		for key in value:
			_check_text(path, key)
		return {k: convert(f"{path}.{k}", v, item) for k, v in value.items()}
	convert_scalar = SCALARS.get(hint)
	if convert_scalar is None:  # a type we do not describe: only its text is checked
		_check_text(path, value)
		return value
	return convert_scalar(path, value)


def _to_str(path: str, value) -> str:
	if not isinstance(value, str):
		raise _Mismatch
	_check_text(path, value)
	return value


def _to_bool(path: str, value) -> bool:
	if isinstance(value, bool):
		return value
	if isinstance(value, int) and value in (0, 1):
		return bool(value)
	if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
		return value.strip().lower() in _TRUE
	raise _Mismatch


def _to_int(path: str, value) -> int:
	if isinstance(value, bool):
		raise _Mismatch  # Python's bool is an int: `true` is not a count of anything
	if isinstance(value, int):
		return value
	if isinstance(value, float) and math.isfinite(value) and value.is_integer():
		return int(value)
	if isinstance(value, str) and _INTEGER.match(value.strip()):
		return int(value)
	raise _Mismatch


def _to_float(path: str, value) -> float:
	if isinstance(value, bool):
		raise _Mismatch
	if isinstance(value, int | float):
		number = float(value)
	elif isinstance(value, str) and _DECIMAL.match(value.strip()):
		number = float(value)
	else:
		raise _Mismatch
	if not math.isfinite(number):  # Python's json reads NaN and Infinity
		refuse(_("Argument {0} must be a finite number.").format(path), InvalidInputError)
	return number


SCALARS = {str: _to_str, bool: _to_bool, int: _to_int, float: _to_float}
# the words for a kind of value, in "Argument rating must be a whole number, not true or false."
WORDS = {
	type(None): _lt("null"),
	bool: _lt("true or false"),
	int: _lt("a whole number"),
	float: _lt("a number"),
	str: _lt("text"),
	list: _lt("a list"),
	dict: _lt("an object"),
}


def describe(hint) -> str:
	"""What `hint` accepts, in words ("a whole number", "a list or null")."""
	origin, params = typing.get_origin(hint), typing.get_args(hint)
	if origin is typing.Annotated:
		return describe(params[0])
	if origin in (typing.Union, types.UnionType):
		words = [describe(p) for p in params if p is not type(None)]
		if type(None) in params:
			words.append(str(WORDS[type(None)]))
		return words[0] if len(words) == 1 else _("{0} or {1}").format(", ".join(words[:-1]), words[-1])
	if origin is typing.Literal:
		return _("one of {0}").format(", ".join(str(p) for p in params))
	base = origin or hint
	base = list if base in (tuple, set) else base
	return str(WORDS[base]) if base in WORDS else _("a valid value")


def kind_of(value) -> str:
	"""The kind of a value as the client sent it, in words."""
	kind = next((t for t in WORDS if isinstance(value, t)), None)  # bool before int: True is an int
	return str(WORDS[kind]) if kind else _("a valid value")


def _check_range(path: str, value, bound: Range) -> None:
	"""A value of the right kind but out of range is invalid input (INVALID_INPUT), not a type error."""
	low, high = bound.low, bound.high
	if value is None or ((low is None or value >= low) and (high is None or value <= high)):
		return
	if low is not None and high is not None:
		message = _("Argument {0} must be between {1} and {2}.").format(path, _num(low), _num(high))
	elif low is not None:
		message = _("Argument {0} must be {1} or more.").format(path, _num(low))
	else:
		message = _("Argument {0} must be {1} or less.").format(path, _num(high))
	refuse(message, InvalidInputError)


def _check_text(path: str, value) -> None:
	"""Every string in `value` (keys, items, nested) is valid Unicode, has no NUL and is not huge."""
	if isinstance(value, str):
		if len(value) > MAX_TEXT:
			refuse(_("Argument {0} is too long (at most {1} characters).").format(path, MAX_TEXT))
		if "\x00" in value:
			refuse(_("Argument {0} contains a NUL character.").format(path))
		try:
			value.encode("utf-8")
		except UnicodeEncodeError:  # a lone surrogate ("\ud800") that JSON allows and UTF-8 does not
			refuse(_("Argument {0} is not valid Unicode text.").format(path))
	elif isinstance(value, list | tuple):
		for i, item in enumerate(value):
			_check_text(f"{path}[{i}]", item)
	elif isinstance(value, dict):
		for key, item in value.items():
			_check_text(path, key)
			_check_text(f"{path}.{key}", item)


def _num(value: float) -> str:
	return str(int(value)) if float(value).is_integer() else str(value)


def refuse(message: str, exc: type[Exception] = frappe.FrappeTypeError) -> typing.NoReturn:
	frappe.throw(message, exc, title=_("Invalid argument"))


def type_hints(fn) -> dict:
	"""`fn`'s hints with Annotated kept (string annotations resolved); the raw ones if they cannot be."""
	try:
		return typing.get_type_hints(fn, include_extras=True)
	except (NameError, TypeError):
		return dict(getattr(fn, "__annotations__", {}))
