// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.ui.form.on("HS Complaint", {
	refresh(frm) {
		if (frm.is_new() || !["Open", "In Progress"].includes(frm.doc.status)) return;
		const group = __("Make Good");
		if (!frm.doc.compensation_coupon) {
			frm.add_custom_button(
				__("Compensation Coupon"),
				() =>
					frappe.prompt(
						{
							fieldname: "template",
							fieldtype: "Link",
							options: "HS Coupon Template",
							label: __("Coupon Template"),
							reqd: 1,
						},
						({ template }) =>
							frappe
								.xcall("home_service.quality.desk.compensate_with_coupon", {
									complaint: frm.doc.name,
									template,
								})
								.then(() => frm.reload_doc()),
						__("Compensation Coupon")
					),
				group
			);
		}
		if (!frm.doc.compensation_refund) {
			frm.add_custom_button(
				__("Compensation Refund"),
				() =>
					frappe.prompt(
						[
							{ fieldname: "amount", fieldtype: "Currency", label: __("Amount"), reqd: 1 },
							{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
						],
						({ amount, reason }) =>
							frappe
								.xcall("home_service.quality.desk.compensate_with_refund", {
									complaint: frm.doc.name,
									amount,
									reason,
								})
								.then(() => frm.reload_doc()),
						__("Compensation Refund")
					),
				group
			);
		}
		if (!frm.doc.revisit_booking) {
			frm.add_custom_button(
				__("Warranty Re-visit"),
				() =>
					frappe.prompt(
						[
							{
								fieldname: "window_start",
								fieldtype: "Datetime",
								label: __("Arrival From"),
								reqd: 1,
							},
							{ fieldname: "note", fieldtype: "Small Text", label: __("Note") },
						],
						({ window_start, note }) =>
							frappe
								.xcall("home_service.quality.desk.create_revisit", {
									booking: frm.doc.booking,
									window_start,
									note,
									complaint: frm.doc.name,
								})
								.then((r) => {
									frappe.show_alert({
										message: __("Re-visit {0} created", [r.booking]),
										indicator: "green",
									});
									frm.reload_doc();
								}),
						__("Warranty Re-visit")
					),
				group
			);
		}
	},
});
