// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.listview_settings["HS Booking"] = {
	add_fields: ["status", "payment_status", "technician", "technician_name", "currency"],

	get_indicator(doc) {
		if (!doc.status) return;
		return [
			__(doc.status),
			home_service.booking_status_color(doc.status),
			"status,=," + doc.status,
		];
	},
};
