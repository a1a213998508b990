// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.ui.form.on("HS Qualification", {
	// the Workflow's Reject button asks for the reason and saves it before the state changes
	before_workflow_action(frm) {
		if (frm.selected_workflow_action !== "Reject" || frm.doc.rejection_reason) return;
		frappe.dom.unfreeze();
		return new Promise((resolve, reject) => {
			frappe.prompt(
				{
					fieldname: "reason",
					fieldtype: "Small Text",
					label: __("Rejection Reason"),
					reqd: 1,
				},
				({ reason }) => {
					frm.set_value("rejection_reason", reason);
					frm.save().then(resolve, reject);
				},
				__("Reject"),
				__("Reject")
			);
		});
	},
});
