"""Reports leave Desk through Frappe's own export (report menu → Export, CSV or Excel): the report
tests run that very endpoint as a staff user and read the file back as rows of text."""

import csv
import datetime
import io

from openpyxl import load_workbook

import frappe
from frappe import _
from frappe.desk.query_report import export_query

FORMATS = ("CSV", "Excel")


def exported(report: str, filters: dict, user: str, file_format: str) -> list[list[str]]:
	"""The rows of the file `user` downloads from `report` (header first), as /api/method/... does."""
	previous = frappe.session.user
	frappe.set_user(user)  # (this also empties form_dict, so the request's arguments come after)
	frappe.local.form_dict = frappe._dict(
		report_name=report,
		file_format_type=file_format,
		filters=frappe.as_json(filters),
		visible_idx="[]",
		custom_columns="[]",
	)
	try:
		export_query()
	finally:
		frappe.set_user(previous)
		frappe.local.form_dict = frappe._dict()
	content = frappe.response.pop("filecontent")
	filename = frappe.response.pop("filename")
	frappe.response.pop("type", None)
	assert filename == f"{_(report)}.{'csv' if file_format == 'CSV' else 'xlsx'}", filename
	if file_format == "CSV":
		return list(csv.reader(io.StringIO(content.decode("utf-8"))))
	sheet = load_workbook(io.BytesIO(content), read_only=True).active
	rows = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
	width = len(rows[0]) if rows else 0  # a read-only sheet leaves out a row's trailing blank cells
	return [row + [""] * (width - len(row)) for row in rows]


def header(columns: list[dict]) -> list[str]:
	"""The labels Desk shows for the report's visible columns, in order."""
	return [_(c["label"]) for c in columns if not c.get("hidden")]


def _text(value) -> str:
	"""An Excel cell as the CSV export writes it (dates without a time, blanks as empty text)."""
	if value is None:
		return ""
	if isinstance(value, datetime.datetime) and value.time() == datetime.time():
		return value.date().isoformat()
	return str(value)
