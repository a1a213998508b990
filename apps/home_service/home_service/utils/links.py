"""Reading a linked document the way Frappe's link validation does, for code that checks its own links."""

import frappe
from frappe.query_builder import DocType


def fetch_sources(meta, link_field: str) -> tuple[str, ...]:
	"""The columns of the linked document that `meta`'s `fetch_from` fields take through `link_field`."""
	return tuple(dict.fromkeys(df.fetch_from.split(".")[-1] for df in meta.get_fields_to_fetch(link_field)))


def set_fetched(doc, link_field: str, row) -> None:
	"""Set `doc`'s fields fetched through `link_field` from `row` (the linked document's name and its
	`fetch_sources`), as Frappe's link validation would, and the link as the row spells its name."""
	doctype = doc.meta.get_field(link_field).options
	for df in doc.meta.get_fields_to_fetch(link_field):
		if not (df.get("fetch_if_empty") and doc.get(df.fieldname)):
			doc.set_fetch_from_value(doctype, df, row)
	doc.set(link_field, row.name)


def read_link(doc, link_field: str, columns: tuple[str, ...] = ()) -> frappe._dict | None:
	"""The row `doc.<link_field>` points to (its name, `columns` and its `fetch_sources`), read in one
	query and applied with `set_fetched`; None when there is no such document.

	A document inserted with `ignore_links` by a service that checks its links itself calls this for
	each link it is given, so that fields fetched from it, an operator's custom ones included, are
	filled all the same."""
	name = doc.get(link_field)
	if not name or not isinstance(name, str):
		return None
	table = DocType(doc.meta.get_field(link_field).options)
	fields = dict.fromkeys(("name", *columns, *fetch_sources(doc.meta, link_field)))
	rows = frappe.qb.from_(table).select(*fields).where(table.name == name).run(as_dict=True)
	if rows:
		set_fetched(doc, link_field, rows[0])
	return rows[0] if rows else None
