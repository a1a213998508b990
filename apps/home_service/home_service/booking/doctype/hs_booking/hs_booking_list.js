// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.listview_settings["HS Booking"] = {
	add_fields: ["status", "workflow_state", "payment_status", "technician", "technician_name", "currency"],

	// the Workflow state (an administrator's such as 质检, else the status), coloured by its status;
	// the form's header uses this too
	get_indicator(doc) {
		if (!doc.status) return;
		const state = doc.workflow_state || doc.status;
		return [
			__(state),
			home_service.booking_status_color(doc.status),
			(doc.workflow_state ? "workflow_state,=," : "status,=,") + state,
		];
	},
};
