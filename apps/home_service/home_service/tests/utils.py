import frappe


def before_tests():
	frappe.clear_cache()
