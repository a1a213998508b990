"""Checks for free text and file links that reach us from the mini-programs.

Free text (names, addresses, notes, reviews) is plain text: markup is refused outright instead of
being "cleaned" into something the user did not type, control characters are dropped, whitespace is
trimmed and the length is capped. Desk renders Data / Small Text escaped, so refusing markup at the
door means no stored payload can reach a staff browser, a print format or a report.
"""

import re
import unicodedata

import frappe
from frappe import _

# a tag opener (<b, </b, <!--, <?xml), an HTML entity (&lt; &#60; &#x3c;), or a script URL
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|&#?[a-zA-Z0-9]+;|javascript\s*:|data\s*:\s*text/html", re.IGNORECASE)
_FILE_URL = re.compile(r"^(/files/|/private/files/|https://)[^\s<>\"'`\\]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")


class InvalidInputError(frappe.ValidationError):
	http_status_code = 422


def clean_text(
	value, label: str, max_length: int, required: bool = False, multiline: bool = False
) -> str | None:
	"""`value` as trimmed plain text, or None when empty and optional; refuses markup and overlong text."""
	if value is None:
		value = ""
	if not isinstance(value, str):
		_invalid(_("{0} must be text.").format(_(label)))
	value = "".join(_normalise_char(ch, multiline) for ch in value)
	value = "\n".join(line.strip() for line in value.strip().splitlines()) if multiline else value.strip()
	if not value:
		if required:
			_invalid(_("{0} is required.").format(_(label)))
		return None
	if len(value) > max_length:
		_invalid(_("{0} must be at most {1} characters.").format(_(label), max_length))
	if _MARKUP.search(value):
		_invalid(_("{0} must be plain text without HTML.").format(_(label)))
	return value


def clean_phone(value, label: str = "Phone", required: bool = False) -> str | None:
	value = clean_text(value, label, 20, required=required)
	if value and not _PHONE.match(value):
		_invalid(_("{0} is not a valid phone number.").format(_(label)))
	return value


def clean_file_url(value, label: str = "Photo", required: bool = False) -> str | None:
	"""An uploaded file (/files/…, /private/files/…) or an https URL; nothing that could run script."""
	value = clean_text(value, label, 500, required=required)
	if value and not _FILE_URL.match(value):
		_invalid(_("{0} must be an uploaded file or an https link.").format(_(label)))
	return value


def clean_file_urls(values, label: str = "Photos", max_count: int = 9) -> list[str]:
	if values is None:
		return []
	if not isinstance(values, list | tuple) or len(values) > max_count:
		_invalid(_("{0}: send a list of at most {1} links.").format(_(label), max_count))
	return [url for url in (clean_file_url(v, label) for v in values) if url]


def clean_choice(value, label: str, choices: tuple[str, ...], default: str | None = None) -> str | None:
	if value in (None, ""):
		return default
	if value not in choices:
		_invalid(_("{0} must be one of: {1}.").format(_(label), ", ".join(choices)))
	return value


def clean_name(value, label: str) -> str:
	"""A document name sent by the client (never trusted alone: callers scope it to the user)."""
	if not isinstance(value, str) or not value.strip() or len(value) > 140:
		_invalid(_("{0} is missing or not valid.").format(_(label)))
	return value.strip()


def mask_name(name: str | None) -> str:
	"""邓雯 → 邓*, for showing one customer's review to others."""
	name = (name or "").strip()
	if not name:
		return _("Anonymous")
	return name[0] + "*" * max(1, min(len(name) - 1, 2))


def _normalise_char(ch: str, multiline: bool) -> str:
	"""Any space becomes a plain space; control and invisible format characters are dropped."""
	if ch == "\n":
		return ch if multiline else " "
	category = unicodedata.category(ch)
	if category in ("Zs", "Zl", "Zp") or ch == "\t":
		return " "
	return "" if category[0] == "C" else ch


def _invalid(message: str) -> None:
	frappe.throw(message, InvalidInputError, title=_("Invalid input"))
