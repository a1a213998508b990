"""Files the mini-programs upload: size-checked, typed by their content, stored as private Files.

The client's filename and Content-Type are not trusted: the first bytes decide the type, and the stored
name is ours (so nobody can upload an .html or .svg dressed as a photo).

Two ways in: a multipart body sent to our endpoint (`uploaded_content` + `save_private_file`), or a file
the user already uploaded with Frappe's /api/method/upload_file, named by its file_url
(`owned_upload`: it must be the caller's File, and its stored bytes are checked the same way).
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


def owned_upload(file_url: str, kinds: tuple[str, ...], max_bytes: int = 5 * MB, private: bool = False):
	"""The caller's own File at `file_url`, checked by size and content like a fresh upload."""
	url = (file_url or "").strip() if isinstance(file_url, str) else ""
	if not url.startswith(("/files/", "/private/files/")) or len(url) > 500:
		frappe.throw(_("Upload the file first and send its file_url."))
	name = frappe.db.get_value(
		"File", {"file_url": url, "owner": frappe.session.user, "is_folder": 0}, "name"
	)
	if not name:
		frappe.throw(_("File {0} was not uploaded by you.").format(url), frappe.PermissionError)
	file = frappe.get_doc("File", name)
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
