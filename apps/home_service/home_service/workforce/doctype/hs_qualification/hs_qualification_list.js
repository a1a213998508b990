// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.listview_settings["HS Qualification"] = {
	add_fields: ["review_state", "expiry_date"],

	get_indicator(doc) {
		const colors = {
			Submitted: "orange",
			"Under Review": "blue",
			Approved: "green",
			Rejected: "red",
		};
		if (!doc.review_state) return;
		return [
			__(doc.review_state, null, "HS Qualification"),
			colors[doc.review_state] || "gray",
			"review_state,=," + doc.review_state,
		];
	},
};
