import frappe


def execute():
	"""HS Settings.sms_provider became a Data field checked against the hs_sms_providers hook (as
	HS Service Item.pricing_model against hs_pricing_models): the Property Setter that copied the
	hooked names into its Select options after every migrate would now set a Data field's options,
	which Frappe reads as a format to validate (Email, Phone, URL…). Stored values stay as they are."""
	frappe.db.delete(
		"Property Setter",
		{"doc_type": "HS Settings", "field_name": "sms_provider", "property": "options"},
	)
	frappe.clear_cache(doctype="HS Settings")
