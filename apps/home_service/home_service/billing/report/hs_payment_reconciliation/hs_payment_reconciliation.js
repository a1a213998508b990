// Copyright (c) 2026, Home Service contributors
// License: MIT. See LICENSE

frappe.query_reports["HS Payment Reconciliation"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -7),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -1),
			reqd: 1,
		},
		{
			fieldname: "gateway",
			label: __("Payment Gateway"),
			fieldtype: "Select",
			options: ["", "WeChat Pay", "Alipay"],
		},
		{
			fieldname: "hide_resolved",
			label: __("Hide Resolved"),
			fieldtype: "Check",
			default: 0,
		},
	],
	// the stored values (a gateway, an issue, a document type, a state) in the reader's language
	formatter(value, row, column, data, default_formatter) {
		const stored = ["issue", "reference_type", "our_state", "provider_state"];
		if (value && column && column.fieldname === "gateway") {
			value = __(value, null, "HS Payment");
		} else if (value && column && stored.includes(column.fieldname)) {
			value = __(value, null, "HS Reconciliation Item");
		}
		return default_formatter(value, row, column, data);
	},
};
