"""Files the mini-programs upload: size-checked, typed by their content, stored as private Files.

The client's filename and Content-Type are not trusted: the first bytes decide the type, and the stored
name is ours (so nobody can upload an .html or .svg dressed as a photo).

Two ways in: a multipart body sent to our endpoint (`uploaded_content` + `save_private_file`), or a file
the user already uploaded with Frappe's /api/method/upload_file, named by its file_url
(`owned_upload`: it must be the caller's File, and its stored bytes are checked the same way).

Frappe stores identical bytes once: a new File gets the URL of the first File with the same content
hash, whoever uploaded it and whatever it is attached to. A job photo could so come back as
/private/files/HS-BK-…-01026-….png, another customer's booking. `keep_uploads_apart` (a File
before_insert hook) gives such an upload its own copy, and `owned_upload` refuses a File that belongs
to another document or shares its URL with someone else's.
"""

import frappe
from frappe import _

MB = 1024 * 1024
SIGNATURES = {
	"jpg": (b"\xff\xd8\xff",),
	"png": (b"\x89PNG\r\n\x1a\n",),
	"pdf": (b"%PDF-",),
}
IMAGES = ("jpg", "png", "webp")
IMAGES_AND_PDF = ("jpg", "png", "webp", "pdf")


class FileTooLargeError(frappe.ValidationError):
	http_status_code = 413


class UnsupportedFileTypeError(frappe.ValidationError):
	http_status_code = 415


def sniff(content: bytes) -> str | None:
	"""The file kind from its first bytes (jpg, png, webp, pdf), or None."""
	if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
		return "webp"
	for kind, signatures in SIGNATURES.items():
		if content.startswith(signatures):
			return kind
	return None


def uploaded_content(field: str = "file", max_bytes: int = 5 * MB) -> bytes:
	"""The bytes of the multipart field `field` of the current request, at most `max_bytes`."""
	request = getattr(frappe.local, "request", None)
	upload = request.files.get(field) if request is not None else None
	if upload is None:
		frappe.throw(_("Send the file as multipart/form-data in the field '{0}'.").format(field))
	content = upload.stream.read(max_bytes + 1)
	check_size(content, max_bytes)
	return content


def check_size(content: bytes, max_bytes: int) -> None:
	if not content:
		frappe.throw(_("The file is empty."))
	if len(content) > max_bytes:
		frappe.throw(_("The file is larger than {0} MB.").format(round(max_bytes / MB, 1)), FileTooLargeError)


def save_private_file(
	content: bytes,
	kinds: tuple[str, ...],
	attached_to_doctype: str,
	attached_to_name: str,
	prefix: str,
	max_bytes: int = 5 * MB,
	attached_to_field: str | None = None,
):
	"""A private File owned by the session user, attached to the given document."""
	check_size(content, max_bytes)
	kind = sniff(content)
	if kind not in kinds:
		frappe.throw(
			_("Only these file types are accepted: {0}.").format(", ".join(kinds)), UnsupportedFileTypeError
		)
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{prefix}-{frappe.generate_hash(length=10)}.{kind}",
			"content": content,
			"is_private": 1,
			"attached_to_doctype": attached_to_doctype,
			"attached_to_name": attached_to_name,
			"attached_to_field": attached_to_field,
		}
	).insert(ignore_permissions=True)


def keep_uploads_apart(doc, method=None) -> None:
	"""File before_insert (hooks.py), after Frappe's own: when Frappe handed this new File the URL of
	stored identical bytes, it keeps that URL only if every File already there is the same user's and
	attached to the same document; otherwise the bytes are written again under this File's own name."""
	if doc.is_folder or doc.is_remote_file or not doc.file_url or not doc.get("content"):
		return
	sharing = frappe.get_all(
		"File",
		filters={"file_url": doc.file_url},
		fields=["owner", "attached_to_doctype", "attached_to_name"],
	)
	mine = (doc.owner, doc.attached_to_doctype or None, doc.attached_to_name or None)
	if all(
		(row.owner, row.attached_to_doctype or None, row.attached_to_name or None) == mine for row in sharing
	):
		return
	doc.save_file(content=doc.content, ignore_existing_file_check=True)


def owned_upload(
	file_url: str,
	kinds: tuple[str, ...],
	max_bytes: int = 5 * MB,
	private: bool = False,
	for_document: tuple[str, str] | None = None,
):
	"""The caller's own File at `file_url`, checked by size and content like a fresh upload.

	With `for_document` (doctype, name) the File must be attached to that document or to none: a
	photo uploaded for one booking is never shown on another."""
	url = (file_url or "").strip() if isinstance(file_url, str) else ""
	if not url.startswith(("/files/", "/private/files/")) or len(url) > 500:
		frappe.throw(_("Upload the file first and send its file_url."))
	rows = frappe.get_all(
		"File",
		filters={"file_url": url, "is_folder": 0},
		fields=["name", "owner", "attached_to_doctype", "attached_to_name"],
	)
	own = [row for row in rows if row.owner == frappe.session.user]
	if not own or len(own) < len(rows):  # someone else's, or the same bytes as someone else's upload
		frappe.throw(_("File {0} was not uploaded by you.").format(url), frappe.PermissionError)
	if for_document:
		doctype, docname = for_document
		own = [
			row
			for row in own
			if not row.attached_to_doctype
			or (row.attached_to_doctype, row.attached_to_name) == (doctype, docname)
		]
		if not own:
			frappe.throw(_("File {0} was uploaded for another document.").format(url), frappe.PermissionError)
	file = frappe.get_doc("File", own[0].name)
	if private and not file.is_private:
		frappe.throw(_("This file must be uploaded as a private file (is_private=1)."))
	try:
		content = file.get_content()
	except Exception:
		content = None
	if not content:
		frappe.throw(_("File {0} is missing.").format(url))
	check_size(content if isinstance(content, bytes) else content.encode(), max_bytes)
	if sniff(content if isinstance(content, bytes) else content.encode()) not in kinds:
		frappe.throw(
			_("Only these file types are accepted: {0}.").format(", ".join(kinds)), UnsupportedFileTypeError
		)
	return file
