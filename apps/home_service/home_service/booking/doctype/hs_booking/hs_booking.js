// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

frappe.ui.form.on("HS Booking", {
	setup(frm) {
		frm.set_query("address", () => ({
			filters: { customer: frm.doc.customer || "" },
		}));
	},

	refresh(frm) {
		frm.trigger("set_amount_headline");
		frm.trigger("render_timeline");
		frm.trigger("add_refund_button");
	},

	add_refund_button(frm) {
		const staff = ["HS Finance", "HS Customer Service", "HS Operations Manager", "System Manager"];
		const refundable = flt(frm.doc.paid_amount) - flt(frm.doc.refunded_amount);
		if (frm.is_new() || refundable <= 0 || !staff.some((role) => frappe.user.has_role(role))) return;
		frm.add_custom_button(__("Request Refund"), () => {
			frappe.prompt(
				[
					{ fieldname: "amount", fieldtype: "Currency", label: __("Amount"), reqd: 1, default: refundable },
					{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
				],
				(values) =>
					frappe
						.call("home_service.billing.desk.request_refund", { booking: frm.doc.name, ...values })
						.then((r) => frappe.set_route("Form", "HS Refund", r.message)),
				__("Request Refund"),
				__("Request")
			);
		});
	},

	customer(frm) {
		if (frm.doc.address) {
			frm.set_value("address", "");
		}
	},

	set_amount_headline(frm) {
		frm.dashboard.clear_headline();
		if (frm.is_new() || !frm.doc.grand_total) return;

		const amount = format_currency(frm.doc.grand_total, frm.doc.currency);
		let text = __("Amount Payable: {0}", [`<b>${amount}</b>`]);
		if (frm.doc.payment_status) {
			text += ` · ${__(frm.doc.payment_status, null, "HS Booking")}`;
		}
		const color = { Paid: "green", Unpaid: "orange" }[frm.doc.payment_status] || "blue";
		frm.dashboard.set_headline_alert(text, color);
	},

	async render_timeline(frm) {
		const field = frm.get_field("timeline_html");
		if (!field) return;
		if (frm.is_new()) {
			field.$wrapper.empty();
			return;
		}

		const events = await frappe.db.get_list("HS Booking Event", {
			fields: [
				"booking",
				"event_type",
				"timestamp",
				"actor",
				"actor_role",
				"from_status",
				"to_status",
				"note",
			],
			filters: { booking: frm.doc.name },
			order_by: "timestamp asc",
			limit: 500,
		});
		field.$wrapper.html(hs_booking_timeline_html(events));
	},
});

function hs_booking_timeline_html(events) {
	if (!events.length) {
		return `<div class="hs-timeline-empty text-muted">${__("No events yet.")}</div>`;
	}
	const esc = frappe.utils.escape_html;
	const pill = (status) =>
		`<span class="indicator-pill no-indicator-dot ${home_service.booking_status_color(status)}">${esc(
			__(status)
		)}</span>`;

	const rows = events.map((ev) => {
		let who = ev.actor ? frappe.user.full_name(ev.actor) : __("System");
		if (ev.actor_role) who += ` · ${__(ev.actor_role)}`;

		let change = "";
		if (ev.from_status && ev.to_status) {
			change = `${pill(ev.from_status)}<span class="hs-timeline-arrow">→</span>${pill(
				ev.to_status
			)}`;
		} else if (ev.to_status) {
			change = pill(ev.to_status);
		}
		const note = ev.note ? `<div class="hs-timeline-note">${esc(ev.note)}</div>` : "";

		return `<li class="hs-timeline-item hs-timeline-type-${frappe.scrub(ev.event_type || "")}">
			<div class="hs-timeline-time">${frappe.datetime.str_to_user(ev.timestamp)}</div>
			<div class="hs-timeline-body">
				<span class="hs-timeline-event">${esc(__(ev.event_type || "", null, "HS Booking Event"))}</span>
				<span class="hs-timeline-who text-muted">${esc(who)}</span>
				<div class="hs-timeline-change">${change}</div>
				${note}
			</div>
		</li>`;
	});
	return `<ul class="hs-timeline">${rows.join("")}</ul>`;
}
