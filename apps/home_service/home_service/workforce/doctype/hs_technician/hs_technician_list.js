// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

const HS_TECHNICIAN_REVIEW_COLORS = {
	Pending: "orange",
	"Under Review": "blue",
	Approved: "green",
	Rejected: "red",
	Suspended: "darkgrey",
};

frappe.listview_settings["HS Technician"] = {
	add_fields: ["status", "review_status"],

	get_indicator(doc) {
		const colors = { Online: "green", Busy: "orange", Offline: "gray" };
		if (!doc.status) return;
		return [
			__(doc.status, null, "HS Technician"),
			colors[doc.status] || "gray",
			"status,=," + doc.status,
		];
	},

	formatters: {
		review_status(value) {
			if (!value) return "";
			const color = HS_TECHNICIAN_REVIEW_COLORS[value] || "gray";
			return `<span class="indicator-pill ${color} filterable ellipsis"
				data-filter="review_status,=,${frappe.utils.escape_html(value)}">
				<span class="ellipsis">${__(value, null, "HS Technician")}</span></span>`;
		},
	},
};
