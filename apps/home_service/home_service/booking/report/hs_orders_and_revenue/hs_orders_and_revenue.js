// Copyright (c) 2026, Home Service contributors
// License: MIT. See LICENSE

frappe.query_reports["HS Orders and Revenue"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.get_today(), -29),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Day", "Month", "Service Category", "Service Area", "Source Channel"],
			default: "Day",
			reqd: 1,
		},
		{
			fieldname: "service_category",
			label: __("Service Category"),
			fieldtype: "Link",
			options: "HS Service Category",
		},
		{
			fieldname: "service_area",
			label: __("Service Area"),
			fieldtype: "Link",
			options: "HS Service Area",
		},
	],
};
