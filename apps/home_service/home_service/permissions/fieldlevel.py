"""Filters on fields the user may not read, refused.

No Frappe path checks the fields of a list query's filters, so a list could answer yes/no questions
about a value it hides (`internal_note like '%…%'`); such filters on this app's DocTypes are refused.
Frappe has no hook for this: it runs inside the DatabaseQuery override of compat/db_query.py.
"""

import frappe
from frappe.model import get_permitted_fields, optional_fields
from frappe.utils.data import get_filter


def refuse_unreadable_filters(query) -> None:
	"""Only for this app's DocTypes (HS …): Frappe's own code may filter core lists on such fields."""
	if not query.doctype.startswith("HS ") or not frappe.get_meta(query.doctype).get_high_permlevel_fields():
		return
	readable = set(get_permitted_fields(query.doctype, parenttype=query.parent_doctype, ignore_virtual=True))
	for condition in (query.filters or []) + (query.or_filters or []):
		if isinstance(condition, str):
			continue
		f = get_filter(query.doctype, condition)
		if f.doctype == query.doctype and f.fieldname not in readable | set(optional_fields):
			frappe.throw(
				frappe._("You cannot filter on {0}.").format(frappe.bold(f.fieldname)),
				frappe.PermissionError,
			)
