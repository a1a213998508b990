// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.listview_settings["HS Offline Payment"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const color = { "Pending Approval": "orange", Approved: "green", Rejected: "red" }[doc.status];
		return [__(doc.status, null, "HS Offline Payment"), color || "gray", `status,=,${doc.status}`];
	},
};
