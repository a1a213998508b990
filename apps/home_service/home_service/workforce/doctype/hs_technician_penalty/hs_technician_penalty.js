// Copyright (c) 2026, Home Service contributors
// License: MIT. See LICENSE

const HS_PENALTY_METHOD = "home_service.billing.desk."; // apply_penalty, waive_penalty

frappe.ui.form.on("HS Technician Penalty", {
	refresh(frm) {
		const staff = ["HS Operations Manager", "HS Customer Service", "System Manager"].some((role) =>
			frappe.user.has_role(role)
		);
		if (!staff || frm.is_new() || frm.is_dirty()) return;
		const call = (method, args) =>
			frappe
				.call({ method: HS_PENALTY_METHOD + method, args: { name: frm.doc.name, ...args } })
				.then(() => frm.reload_doc());
		if (frm.doc.status === "Draft") {
			frm.add_custom_button(__("Apply", null, "HS Technician Penalty"), () =>
				frappe.confirm(
					__("Deduct ¥{0} from {1}'s earnings?", [frm.doc.amount, frm.doc.technician_name]),
					() => call("apply_penalty")
				)
			);
		}
		if (["Applied", "Appealed"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Waive"), () =>
				frappe.prompt(
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					(values) => call("waive_penalty", { reason: values.reason }),
					__("Waive Penalty")
				)
			);
		}
	},
});
