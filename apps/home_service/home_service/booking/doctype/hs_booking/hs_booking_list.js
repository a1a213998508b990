// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

const HS_BOOKING_STATUS_COLORS = {
	"Pending Payment": "orange",
	"Pending Dispatch": "orange",
	Offered: "blue",
	Assigned: "purple",
	"On The Way": "cyan",
	Arrived: "cyan",
	"In Service": "purple",
	"Awaiting Confirmation": "blue",
	Completed: "green",
	Cancelled: "gray",
	Refunded: "gray",
	Exception: "red",
};

frappe.listview_settings["HS Booking"] = {
	add_fields: ["status", "payment_status", "technician", "technician_name", "currency"],

	get_indicator(doc) {
		if (!doc.status) return;
		return [
			__(doc.status),
			HS_BOOKING_STATUS_COLORS[doc.status] || "gray",
			"status,=," + doc.status,
		];
	},
};
