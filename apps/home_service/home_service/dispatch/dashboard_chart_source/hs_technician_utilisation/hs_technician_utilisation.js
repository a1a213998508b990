frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["HS Technician Utilisation"] = {
	method: "home_service.dispatch.dashboard_chart_source.hs_technician_utilisation.hs_technician_utilisation.get",
	filters: [
		{
			fieldname: "date",
			label: __("Date"),
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
	],
};
