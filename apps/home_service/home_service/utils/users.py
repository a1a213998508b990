import frappe


def grant_role(user: str, role: str) -> None:
	"""Give `user` the role once (customers and technicians are website users without Desk)."""
	if frappe.db.exists("Has Role", {"parent": user, "parenttype": "User", "role": role}):
		return
	doc = frappe.get_doc("User", user)
	doc.flags.ignore_permissions = True
	doc.add_roles(role)


def users_with_role(role: str) -> list[str]:
	"""Enabled users who have `role` (never Administrator or Guest)."""
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	return (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(has_role.role == role)
		.where(has_role.parenttype == "User")
		.where(user.enabled == 1)
		.where(user.name.notin(("Administrator", "Guest")))
		.orderby(user.name)
	).run(pluck=True)
