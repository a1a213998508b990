// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.listview_settings["HS Customer"] = {
	add_fields: ["status"],

	get_indicator(doc) {
		const colors = { Active: "green", Frozen: "blue", Blacklisted: "red" };
		if (!doc.status) return;
		return [
			__(doc.status, null, "HS Customer"),
			colors[doc.status] || "gray",
			"status,=," + doc.status,
		];
	},
};
