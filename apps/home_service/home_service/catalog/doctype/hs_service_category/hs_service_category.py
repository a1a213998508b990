# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from frappe.utils.nestedset import NestedSet


class HSServiceCategory(NestedSet):
	pass
