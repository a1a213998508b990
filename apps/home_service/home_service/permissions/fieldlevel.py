"""Field-level (permlevel) read checks for list queries, made complete.

Frappe v15 before frappe/frappe#32192 drops unreadable fields from a list query while it iterates
over them, so the field right after a dropped one is never checked: `frappe.get_list("HS Booking",
fields=["name", "internal_note", "held_technician"])` run as a customer (by server code, a report or
a server script) returned held_technician. (/api/resource and frappe.client.get_list strip such
fields earlier, in frappe.desk.reportview.validate_fields.) The check is repeated until nothing more
is dropped, a no-op on a Frappe with the fix. No Frappe path checks the fields of filters, so a
list could answer yes/no questions about a value it hides (`internal_note like '%…%'`); such
filters on this app's DocTypes are refused here.

Installed from home_service.permissions, which every list of a DocType with staff-only fields
imports (its permission_query_conditions) before Frappe applies the field check.
"""

import frappe
from frappe.model import get_permitted_fields, optional_fields
from frappe.model.db_query import DatabaseQuery
from frappe.utils.data import get_filter

_frappe_check = DatabaseQuery.apply_fieldlevel_read_permissions


def apply_fieldlevel_read_permissions(self: DatabaseQuery) -> None:
	if self.flags.ignore_permissions:
		return
	while True:
		before = list(self.fields)
		_frappe_check(self)
		if self.as_list or self.fields == before:
			break
	refuse_unreadable_filters(self)


def refuse_unreadable_filters(query: DatabaseQuery) -> None:
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


def install() -> None:
	DatabaseQuery.apply_fieldlevel_read_permissions = apply_fieldlevel_read_permissions
