// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

// Staff record money taken or handed back outside the apps; finance (someone else) approves or rejects
// it here (home_service.billing.desk.decide_offline_payment). Approving pays the booking or completes
// the refund through the same services as an online payment.
frappe.ui.form.on("HS Offline Payment", {
	refresh(frm) {
		if (frm.doc.status !== "Pending Approval" || frm.is_new()) return;
		const approver = frappe.user.has_role("HS Finance") || frappe.user.has_role("System Manager");
		if (!approver) {
			frm.dashboard.set_headline_alert(__("Waiting for finance's approval."), "orange");
			return;
		}
		if (frm.doc.owner === frappe.session.user) {
			frm.dashboard.set_headline_alert(
				__("You recorded this: another finance user must approve it."),
				"orange"
			);
			return;
		}
		const decide = (approve, note) =>
			frappe
				.call({
					method: "home_service.billing.desk.decide_offline_payment",
					args: { offline_payment: frm.doc.name, approve, note },
					freeze: true,
				})
				.then(() => frm.reload_doc());
		frm.add_custom_button(__("Approve"), () => decide(1), __("Decide")).addClass("btn-primary");
		frm.add_custom_button(
			__("Reject"),
			() =>
				frappe.prompt(
					{ fieldname: "note", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					(values) => decide(0, values.note),
					__("Reject Offline Payment")
				),
			__("Decide")
		);
	},
});
