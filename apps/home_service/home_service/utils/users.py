import frappe


def grant_role(user: str, role: str) -> None:
	"""Give `user` the role once (customers and technicians are website users without Desk)."""
	if frappe.db.exists("Has Role", {"parent": user, "parenttype": "User", "role": role}):
		return
	doc = frappe.get_doc("User", user)
	doc.flags.ignore_permissions = True
	doc.add_roles(role)
