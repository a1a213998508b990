// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.ui.form.on("HS Refund", {
	refresh(frm) {
		const approver = frappe.user.has_role("HS Finance") || frappe.user.has_role("System Manager");
		if (frm.doc.status !== "Pending Approval" || !approver) return;
		const decide = (approve, note) =>
			frappe
				.call("home_service.billing.desk.decide_refund", { refund: frm.doc.name, approve, note })
				.then(() => frm.reload_doc());
		frm.add_custom_button(__("Approve"), () => decide(1), __("Decide")).addClass("btn-primary");
		frm.add_custom_button(
			__("Reject"),
			() => frappe.prompt({ fieldname: "note", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
				(values) => decide(0, values.note), __("Reject Refund")),
			__("Decide")
		);
	},
});
