"""Reading a linked document the way Frappe's link validation does, for code that checks its own links."""

import frappe
from frappe.query_builder import DocType


def read_link(doc, link_field: str, columns: tuple[str, ...] = ()) -> frappe._dict | None:
	"""The row `doc.<link_field>` points to (its name, `columns` and the values `doc`'s `fetch_from`
	fields take from it), read in one query, or None when there is no such document.

	Sets those fetched fields as Frappe's link validation would. A document inserted with
	`ignore_links` by a service that checks its links itself calls this for each link it is given,
	so that fields fetched from it, an operator's custom ones included, are filled all the same."""
	name = doc.get(link_field)
	if not name or not isinstance(name, str):
		return None
	doctype = doc.meta.get_field(link_field).options
	fetched = [
		df
		for df in doc.meta.get_fields_to_fetch(link_field)
		if not (df.get("fetch_if_empty") and doc.get(df.fieldname))
	]
	table = DocType(doctype)
	fields = dict.fromkeys(("name", *columns, *(df.fetch_from.split(".")[-1] for df in fetched)))
	rows = frappe.qb.from_(table).select(*fields).where(table.name == name).run(as_dict=True)
	if not rows:
		return None
	for df in fetched:
		doc.set_fetch_from_value(doctype, df, rows[0])
	doc.set(link_field, rows[0].name)  # the stored spelling, as link validation keeps it
	return rows[0]
