"""Two Document methods of Frappe v15, leaner for HS Booking (see compat/__init__.py).

A booking has four child tables and is saved at every step of its life, almost never with a new row.
Frappe v15's `_set_defaults` builds a new-row template (a document with its defaults, plus a query to
learn whether the DocType is a single) for every table on every save, and uses it only for rows being
added; its `save_version` builds a Version document on every insert to find out that it keeps none
unless the insert has an updater reference (a data import).
"""

import copy

import frappe
from frappe.model.create_new import set_dynamic_default_values, set_user_and_static_default_values
from frappe.model.document import Document


def set_defaults_of_new_rows(self: Document) -> None:
	"""Frappe's `Document._set_defaults`, minus the templates of tables that have no new row."""
	if frappe.flags.in_import:
		return
	if self.is_new():
		self.update_if_missing(new_doc_defaults(self.doctype))
	for df in self.meta.get_table_fields():
		new_rows = [row for row in self.get(df.fieldname) or () if row.is_new()]
		if new_rows:
			template = new_doc_defaults(df.options, parent_doc=self, parentfield=df.fieldname)
			for row in new_rows:
				row.update_if_missing(template)


def save_version_unless_plain_insert(self: Document) -> None:
	"""Frappe's `Document.save_version`, returning early where Version.for_insert would keep nothing."""
	if self.get_doc_before_save() is None and not self.flags.updater_reference:
		return
	Document.save_version(self)


def new_doc_defaults(doctype: str, parent_doc=None, parentfield: str | None = None) -> dict:
	"""`frappe.new_doc(doctype, parent_doc=…, parentfield=…, as_dict=True)` as Frappe v15 builds it
	(`frappe.model.create_new`), sharing its per-request templates, minus the uncached query Frappe
	runs to build each template to learn whether the doctype is a single: its Meta says so."""
	templates = frappe.local.new_doc_templates
	if doctype not in templates:
		doc = frappe.get_doc(
			{"doctype": doctype, "__islocal": 1, "owner": frappe.session.user, "docstatus": 0}
		)
		set_user_and_static_default_values(doc)
		doc._fix_numeric_types()
		template = doc.get_valid_dict(sanitize=False)
		template.update(doctype=doctype, __islocal=1)
		if not doc.meta.issingle:
			template["__unsaved"] = 1
		templates[doctype] = template
	values = copy.deepcopy(templates[doctype])
	set_dynamic_default_values(values, parent_doc, parentfield)
	return values
