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
};
