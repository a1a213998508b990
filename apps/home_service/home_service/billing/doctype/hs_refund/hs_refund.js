// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.ui.form.on("HS Refund", {
	refresh(frm) {
		frm.trigger("add_money_returned_button");
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

	// a refund of an offline payment waits until staff hand the money back by cash or transfer and
	// record it; finance's approval of that record completes the refund (billing/offline_payments.py)
	async add_money_returned_button(frm) {
		const doc = frm.doc;
		if (!["Processing", "Failed"].includes(doc.status)) return;
		if (!frappe.model.can_create("HS Offline Payment")) return;
		const { message } = await frappe.db.get_value("HS Payment", doc.payment, "gateway");
		if (!message || message.gateway !== "Offline" || frm.doc.name !== doc.name) return;
		frm.add_custom_button(__("Record Money Returned"), () =>
			frappe.new_doc("HS Offline Payment", {
				payment_type: "Refund",
				refund: doc.name,
				booking: doc.booking,
				amount: doc.amount,
			})
		);
	},
});
