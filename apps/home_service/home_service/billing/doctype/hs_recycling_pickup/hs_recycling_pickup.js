// Copyright (c) 2026, Home Service contributors
// License: MIT. See LICENSE

const HS_PICKUP_METHOD = "home_service.billing.doctype.hs_recycling_pickup.hs_recycling_pickup.";

frappe.ui.form.on("HS Recycling Pickup", {
	refresh(frm) {
		const decider = ["HS Finance", "HS Operations Manager", "System Manager"].some((role) =>
			frappe.user.has_role(role)
		);
		if (!decider || frm.doc.status !== "Review") return;
		const call = (method, args) =>
			frappe
				.call({ method: HS_PICKUP_METHOD + method, args: { name: frm.doc.name, ...args } })
				.then(() => frm.reload_doc());
		frm.add_custom_button(__("Approve and Pay"), () =>
			frappe.confirm(__("Pay ¥{0} to the customer's wallet?", [frm.doc.total_amount]), () =>
				call("approve")
			)
		);
		frm.add_custom_button(__("Reject"), () =>
			frappe.prompt(
				{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
				(values) => call("reject", { reason: values.reason }),
				__("Reject Pickup")
			)
		);
	},
});
