// Copyright (c) 2026, Home Service contributors
// License: MIT. See LICENSE

frappe.query_reports["HS Booking Funnel"] = {
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
			fieldname: "service_area",
			label: __("Service Area"),
			fieldtype: "Link",
			options: "HS Service Area",
		},
		{
			fieldname: "service_category",
			label: __("Service Category"),
			fieldtype: "Link",
			options: "HS Service Category",
		},
		{
			fieldname: "source_channel",
			label: __("Source Channel"),
			fieldtype: "Select",
			options: ["", "WeChat Mini Program", "Alipay Mini Program", "H5", "Referral", "Offline", "Other"],
		},
	],
};
