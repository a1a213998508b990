// Copyright (c) 2026, Home Service contributors
// License: MIT. See LICENSE

const HS_WITHDRAWAL_METHOD = "home_service.billing.doctype.hs_withdrawal.hs_withdrawal.";

frappe.ui.form.on("HS Withdrawal", {
	refresh(frm) {
		const finance = frappe.user.has_role("HS Finance") || frappe.user.has_role("System Manager");
		if (!finance || frm.is_new()) return;
		const call = (method, args) =>
			frappe
				.call({ method: HS_WITHDRAWAL_METHOD + method, args: { name: frm.doc.name, ...args } })
				.then(() => frm.reload_doc());
		if (frm.doc.status === "Pending Approval") {
			frm.add_custom_button(__("Approve"), () =>
				frappe.confirm(__("Pay ¥{0} to {1}?", [frm.doc.amount, frm.doc.technician_name]), () =>
					call("approve")
				)
			);
			frm.add_custom_button(__("Reject"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					(values) => call("reject", { reason: values.reason }),
					__("Reject Withdrawal")
				)
			);
		}
		if (["Approved", "Processing", "Waiting User Confirmation"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Check with Provider"), () => call("check_now"));
		}
	},
});
