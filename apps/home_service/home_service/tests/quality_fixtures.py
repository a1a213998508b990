"""HS Quality Settings inside a test's transaction (the cached single is refreshed too)."""

from contextlib import contextmanager

import frappe

SETTINGS = "HS Quality Settings"


def set_quality_settings(values: dict, templates: list[dict] | None = None) -> None:
	frappe.db.set_single_value(SETTINGS, values)
	if templates is not None:
		doc = frappe.get_single(SETTINGS)
		doc.set("templates", templates)
		doc.save(ignore_permissions=True)
	frappe.clear_document_cache(SETTINGS, SETTINGS)


@contextmanager
def quality_settings(templates: list[dict] | None = None, **values):
	"""Apply for the `with` block; the caller's rollback undoes the rows, this forgets the cache."""
	set_quality_settings(values, templates)
	try:
		yield
	finally:
		frappe.clear_document_cache(SETTINGS, SETTINGS)
