# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Texts our code writes into records that people read later, shown in the reader's language.

A booking's timeline notes (HS Booking Event.note) and dispatch's outcomes (HS Dispatch Decision.outcome)
are written once and read by a customer in the mini-program, a dispatcher in Desk, an auditor in English.
So the code stores the English text of one of `TEMPLATES` (`stored("Round {0}", 2)` → "Round 2"; placeholders in order, {0} first) and
every reader translates it on display (`translated("Round 2")` → "第 2 轮" for a zh reader; Desk does the
same with `home_service.stored_text`, which gets the templates with the boot). The arguments are
translated too when they are messages themselves ("Paid with WeChat Pay" → "使用微信支付支付"). Rows
written before this (English, from a job or a webhook) are translated the same way; what people typed
(a customer's reason, a technician's note) matches no template and is shown as typed.
"""

import re
from functools import cache

import frappe
from frappe import _

TEMPLATES = (
	# booking timeline
	"Nothing to pay",
	"Paid with {0}",
	"Refund {0}",
	"Round {0}",
	"Accepted offer {0}",
	"Assigned by a dispatcher to {0}",
	"Warranty re-visit: same technician",
	"Confirmed by the customer",
	"Reassigned by a dispatcher from {0} to {1}",
	"Not paid in time",
	"Cancelled by {0}",
	"Rescheduled from {0} to {1}",
	# dispatch outcomes (also the note of a booking sent to the dispatcher queue)
	"Offered to {0}",
	"Nobody accepted after {0} rounds",
	"No free technician matches",
	"Manual dispatch rule",
	# a quote's price lines (HS Booking Charge.description, catalog/pricing*.py, marketing/coupons.py),
	# written in the language of whoever asked for the quote: a line written in English (a job, the demo,
	# an English-speaking clerk) is shown translated like the notes above
	"Distance fee: {0} km beyond {1} km at ¥{2}/km",
	"Minimum order ¥{0}: top-up",
	"Coupon: {0}",
	"{0} · visit and inspection",
	"{0}: about {1} kg at ¥{2}/kg, paid to you after weighing",
	"{0} ({1}% of ¥{2})",
)
# the context an argument is translated with: "Offline" is 线下 as a payment gateway, 离线 as a status
ARGUMENT_CONTEXT = {"Paid with {0}": "HS Payment"}
PLACEHOLDER = re.compile(r"\\\{(\d+)\\\}")


def stored(template: str, *args) -> str:
	"""The English text to store; `template` must be one of TEMPLATES, or no reader could translate it."""
	if template not in TEMPLATES:
		raise ValueError(f"{template!r} is not in home_service.booking.stored_text.TEMPLATES")
	return template.format(*args)


def translated(text: str | None, lang: str | None = None) -> str | None:
	"""`text` in `lang` (the session's language by default) when it was stored from a template."""
	if not text:
		return text
	for template, pattern in _patterns():
		match = pattern.fullmatch(text)
		if match:
			context = ARGUMENT_CONTEXT.get(template)
			args = [_(arg, lang=lang, context=context) for arg in match.groups()]
			return _(template, lang=lang).format(*args)
	return text


@cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
	return tuple(
		(template, re.compile(PLACEHOLDER.sub(r"(.+?)", re.escape(template)), re.S)) for template in TEMPLATES
	)


def extend_bootinfo(bootinfo) -> None:
	"""Desk translates stored texts with the same templates (public/js/home_service.js)."""
	if frappe.session.user != "Guest":
		bootinfo.hs_stored_texts = {"templates": TEMPLATES, "argument_context": ARGUMENT_CONTEXT}
