"""The defaults a new document or table row starts from, as Frappe builds them."""

import copy

import frappe
from frappe.model.create_new import set_dynamic_default_values, set_user_and_static_default_values


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
