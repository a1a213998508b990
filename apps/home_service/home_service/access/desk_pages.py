"""The app's Desk pages a user may not open, so that Desk says "no permission" instead of "not found".

Desk routes /app/<slug> to a DocType only when the user can read it (`frappe.boot.user.can_read`);
any other slug is taken for a Page and answered "页 hs-payment未找到". A report the user may not run
fails while loading (an uncaught rejection), and a Page the user's roles do not include is refused
by the server. public/js/desk_pages.js turns a route to any of these into a plain "no permission"
page. Only this app's DocTypes, reports and pages are listed: a slug nobody knows stays "not found".
"""

import frappe

APP = "home_service"


def extend_bootinfo(bootinfo) -> None:
	if frappe.session.user == "Guest" or not bootinfo.get("user"):
		return
	modules = frappe.get_module_list(APP)
	can_read = set(bootinfo.user.get("can_read") or [])
	may_run = set(bootinfo.user.get("all_reports") or {})
	allowed_pages = set(bootinfo.get("page_info") or {})
	doctypes = frappe.get_all(
		"DocType", filters={"module": ("in", modules), "istable": 0}, pluck="name", order_by="name"
	)
	reports = frappe.get_all("Report", filters={"module": ("in", modules)}, pluck="name", order_by="name")
	pages = frappe.get_all(
		"Page", filters={"module": ("in", modules)}, fields=["name", "title"], order_by="name"
	)
	bootinfo.hs_refused = {
		"doctypes": [name for name in doctypes if name not in can_read],
		"reports": [name for name in reports if name not in may_run],
		"pages": [[page.name, page.title or page.name] for page in pages if page.name not in allowed_pages],
	}
