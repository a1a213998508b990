"""Field-level (permlevel) read checks for list queries, made complete (see compat/__init__.py).

Frappe v15 before frappe/frappe#32192 drops unreadable fields from a list query while it iterates
over them, so the field right after a dropped one is never checked: `frappe.get_list("HS Booking",
fields=["name", "internal_note", "held_technician"])` run as a customer (by server code, a report or
a server script) returned held_technician. (/api/resource and frappe.client.get_list strip such
fields earlier, in frappe.desk.reportview.validate_fields.) The check is repeated until nothing more
is dropped, a no-op on a Frappe with the fix. Then filters on unreadable fields of this app's
DocTypes are refused (permissions/fieldlevel.py): no Frappe path checks them.
"""

from frappe.model.db_query import DatabaseQuery

from home_service.permissions.fieldlevel import refuse_unreadable_filters

FRAPPE = DatabaseQuery.__dict__["apply_fieldlevel_read_permissions"]  # before install() replaces it


def apply_fieldlevel_read_permissions(self: DatabaseQuery) -> None:
	if self.flags.ignore_permissions:
		return
	while True:
		before = list(self.fields)
		FRAPPE(self)
		if self.as_list or self.fields == before:
			break
	refuse_unreadable_filters(self)
