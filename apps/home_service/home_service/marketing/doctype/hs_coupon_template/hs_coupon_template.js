// Copyright (c) 2026, Home Service contributors
// License: MIT. See LICENSE

frappe.ui.form.on("HS Coupon Template", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.enabled) return;
		frm.add_custom_button(__("Issue to Customers"), () => {
			frappe.prompt(
				[
					{
						fieldname: "customers",
						fieldtype: "Small Text",
						label: __("Customers"),
						description: __("Customer IDs or mobile numbers, one per line"),
						reqd: 1,
					},
				],
				(values) => {
					frappe.call({
						method: "home_service.marketing.doctype.hs_coupon_template.hs_coupon_template.issue_to_customers",
						args: { template: frm.doc.name, customers: values.customers },
						freeze: true,
						callback: (r) => {
							const result = r.message || { issued: [], skipped: [] };
							const skipped = result.skipped
								.map((row) => `${frappe.utils.escape_html(row.customer)}: ${frappe.utils.escape_html(row.reason)}`)
								.join("<br>");
							frappe.msgprint({
								title: __("Coupons issued"),
								message:
									__("{0} issued, {1} skipped.", [result.issued.length, result.skipped.length]) +
									(skipped ? "<br><br>" + skipped : ""),
							});
							frm.reload_doc();
						},
					});
				},
				__("Issue Coupons"),
				__("Issue")
			);
		});
	},
});
