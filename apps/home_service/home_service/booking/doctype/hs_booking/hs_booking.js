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
		frm.trigger("render_dispatch");
		frm.trigger("add_refund_button");
		frm.trigger("add_offline_payment_button");
	},

	// The Workflow's action into Cancelled (Actions → Cancel) asks for the reason and shows the fee the
	// policy keeps and the refund before anything changes; it then cancels through the cancellation
	// service (home_service.booking.desk.cancel_booking), never through Frappe's bare apply_workflow.
	before_workflow_action(frm) {
		const action = frm.selected_workflow_action;
		if (!hs_action_cancels(frm, action)) return;
		frappe.dom.unfreeze(); // Frappe froze the page for its own call, which this replaces
		hs_cancel_dialog(frm, action);
		return new Promise(() => {}); // never settles: Frappe's apply_workflow is not called
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

	// cash, bank transfer or POS taken by staff: recorded here, approved by finance in HS Offline Payment
	add_offline_payment_button(frm) {
		const doc = frm.doc;
		const owed = flt(doc.grand_total) - flt(doc.paid_amount);
		if (frm.is_new() || doc.status !== "Pending Payment" || doc.payment_status !== "Unpaid") return;
		if (owed <= 0 || !frappe.model.can_create("HS Offline Payment")) return;
		frm.add_custom_button(__("Record Offline Payment"), () =>
			frappe.new_doc("HS Offline Payment", { payment_type: "Receive", booking: doc.name, amount: owed })
		);
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

	// why dispatch sent the booking to whom (home_service.dispatch.desk.dispatch_history), for staff
	async render_dispatch(frm) {
		const field = frm.get_field("dispatch_html");
		if (!field) return;
		if (frm.is_new() || !frappe.model.can_read("HS Dispatch Decision")) {
			field.$wrapper.empty();
			return;
		}
		const booking = frm.doc.name;
		const r = await frappe.call({
			method: "home_service.dispatch.desk.dispatch_history",
			args: { booking },
			type: "GET",
		});
		if (frm.doc.name !== booking) return; // the form moved on to another booking meanwhile
		field.$wrapper.html(hs_booking_dispatch_html(r.message || {}));
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
				"from_state",
				"to_state",
				"note",
			],
			filters: { booking: frm.doc.name },
			order_by: "timestamp asc",
			limit: 500,
		});
		field.$wrapper.html(hs_booking_timeline_html(events));
	},
});

// the factors a dispatch rule weighs (dispatch/scoring.py), labelled as on HS Dispatch Rule
// (var and function declarations: Desk may evaluate a form script more than once)
// `label:` as written so that the zh catalogue (tests/zh_catalogue.py) finds each label
var HS_DISPATCH_FACTORS = [
	{ key: "distance", label: "Distance" },
	{ key: "rating", label: "Rating" },
	{ key: "load", label: "Today's Load (fairness)" },
	{ key: "acceptance", label: "Acceptance Rate" },
	{ key: "previous", label: "Customer's Previous Technician" },
];
var HS_OFFER_COLORS = { Accepted: "green", Pending: "blue", Rejected: "red" };

function hs_booking_dispatch_html({ decisions = [], offers = [] }) {
	if (!decisions.length && !offers.length) {
		return `<div class="hs-dispatch-empty text-muted">${__("No dispatch decisions yet.")}</div>`;
	}
	const offered = offers.length
		? `<div class="hs-dispatch-head"><b>${hs_esc(__("Offers"))}</b></div>${hs_dispatch_offers(offers)}`
		: "";
	return `<div class="hs-dispatch">${decisions.map(hs_dispatch_decision).join("")}${offered}</div>`;
}

function hs_esc(value) {
	return frappe.utils.escape_html(value === null || value === undefined ? "" : String(value));
}

function hs_num(value, digits) {
	return value === null || value === undefined ? "" : Number(value).toFixed(digits);
}

function hs_when(value) {
	return hs_esc(value ? frappe.datetime.str_to_user(value) : "");
}

function hs_offer_pill(status) {
	if (!status) return "";
	const color = HS_OFFER_COLORS[status] || "gray";
	return `<span class="indicator-pill no-indicator-dot ${color}">${hs_esc(
		__(status, null, "HS Dispatch Offer")
	)}</span>`;
}

function hs_dispatch_decision(d) {
	const candidates = d.candidates || [];
	const head = [
		`<b>${hs_esc(__("Round {0}", [d.round]))}</b>`,
		hs_when(d.decided_on),
		`${hs_esc(__("Rule"))}: ${hs_esc(d.rule_name)}`,
		`${hs_esc(__("Strategy"))}: ${hs_esc(__(d.strategy || "", null, "HS Dispatch Rule"))}`,
		`${hs_esc(__("Outcome"))}: ${hs_esc(home_service.stored_text(d.outcome))}`,
	].join(" · ");
	const factor_heads = HS_DISPATCH_FACTORS.map(
		({ label }) => `<th class="text-right">${hs_esc(__(label))}</th>`
	).join("");
	const table = candidates.length
		? `<table class="table table-bordered table-sm hs-dispatch-decisions" data-round="${hs_esc(d.round)}">
			<thead><tr>
				<th>${hs_esc(__("Technician"))}</th>
				<th class="text-right">${hs_esc(__("Score"))}</th>
				<th class="text-right">${hs_esc(__("Distance (km)"))}</th>
				${factor_heads}
				<th>${hs_esc(__("Offer"))}</th>
			</tr></thead>
			<tbody>${candidates.map(hs_dispatch_candidate).join("")}</tbody>
		</table>`
		: `<div class="text-muted">${hs_esc(__("No candidates"))}</div>`;
	const more =
		d.candidate_count > candidates.length
			? `<div class="text-muted small">${hs_esc(
					__("Best {0} of {1} candidates", [candidates.length, d.candidate_count])
			  )}</div>`
			: "";
	return `<div class="hs-dispatch-decision"><div class="hs-dispatch-head">${head}</div>${table}${more}</div>`;
}

function hs_dispatch_candidate(c) {
	const factors = HS_DISPATCH_FACTORS.map(
		({ key }) => `<td class="text-right">${hs_num((c.factors || {})[key], 2)}</td>`
	).join("");
	const cls = c.offer_status ? "hs-dispatch-candidate hs-dispatch-offered" : "hs-dispatch-candidate";
	return `<tr class="${cls}" data-technician="${hs_esc(c.technician)}">
		<td>${hs_esc(c.technician_name || c.technician)}</td>
		<td class="text-right">${hs_num(c.score, 3)}</td>
		<td class="text-right">${hs_num(c.distance_km, 1)}</td>
		${factors}
		<td>${hs_offer_pill(c.offer_status)}</td>
	</tr>`;
}

function hs_dispatch_offers(offers) {
	const rows = offers.map(
		(o) => `<tr class="hs-dispatch-offer" data-technician="${hs_esc(o.technician)}">
			<td>${hs_esc(o.round)}</td>
			<td>${hs_esc(o.technician_name || o.technician)}</td>
			<td>${hs_offer_pill(o.status)}</td>
			<td>${hs_when(o.offered_on)}</td>
			<td>${hs_when(o.responded_on)}</td>
			<td>${hs_esc(o.reject_reason)}</td>
		</tr>`
	);
	return `<table class="table table-bordered table-sm hs-dispatch-offers">
		<thead><tr>
			<th>${hs_esc(__("Round"))}</th>
			<th>${hs_esc(__("Technician"))}</th>
			<th>${hs_esc(__("Status"))}</th>
			<th>${hs_esc(__("Offered On"))}</th>
			<th>${hs_esc(__("Responded On"))}</th>
			<th>${hs_esc(__("Reason"))}</th>
		</tr></thead>
		<tbody>${rows.join("")}</tbody>
	</table>`;
}

function hs_booking_timeline_html(events) {
	if (!events.length) {
		return `<div class="hs-timeline-empty text-muted">${__("No events yet.")}</div>`;
	}
	const esc = frappe.utils.escape_html;
	// the Workflow state (an administrator's such as 质检, else the status), coloured by its status
	const pill = (state, status) =>
		`<span class="indicator-pill no-indicator-dot ${home_service.booking_status_color(
			status
		)}">${esc(__(state || status))}</span>`;

	const rows = events.map((ev) => {
		let who = ev.actor ? frappe.user.full_name(ev.actor) : __("System");
		if (ev.actor_role) who += ` · ${__(ev.actor_role)}`;

		let change = "";
		if (ev.from_status && ev.to_status) {
			change = `${pill(ev.from_state, ev.from_status)}<span class="hs-timeline-arrow">→</span>${pill(
				ev.to_state,
				ev.to_status
			)}`;
		} else if (ev.to_status) {
			change = pill(ev.to_state, ev.to_status);
		}
		const note = ev.note
			? `<div class="hs-timeline-note">${esc(home_service.stored_text(ev.note))}</div>`
			: "";

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

// the Workflow action `action` leads from the booking's state into a state mapped to Cancelled
function hs_action_cancels(frm, action) {
	const workflow = frappe.workflow.workflows[frm.doctype];
	if (!workflow || !action) return false;
	const transition = (workflow.transitions || []).find(
		(t) => t.state === frm.doc.workflow_state && t.action === action
	);
	const next = transition && (workflow.states || []).find((s) => s.state === transition.next_state);
	return Boolean(next && next.update_field === "status" && next.update_value === "Cancelled");
}

function hs_cancel_dialog(frm, action) {
	const booking = frm.doc.name;
	frappe.call({
		method: "home_service.booking.desk.cancellation_preview",
		args: { booking, action },
		type: "GET",
		callback: ({ message: terms }) => {
			if (!terms.allowed) {
				frappe.msgprint({ title: __("Cannot cancel"), message: hs_esc(terms.reason), indicator: "red" });
				return;
			}
			const dialog = new frappe.ui.Dialog({
				title: __("Cancel booking {0}", [booking]),
				fields: [
					{ fieldtype: "HTML", fieldname: "terms_html" },
					{ fieldtype: "Small Text", fieldname: "reason", label: __("Reason"), reqd: 1 },
				],
				primary_action_label: __("Confirm Cancellation"),
				primary_action: ({ reason }) => {
					dialog.disable_primary_action();
					frappe.call({
						method: "home_service.booking.desk.cancel_booking",
						args: { booking, action, reason, fee: terms.fee },
						freeze: true,
						callback: ({ message }) => {
							dialog.hide();
							frappe.model.sync(message);
							frm.refresh();
						},
						always: () => dialog.enable_primary_action(),
					});
				},
			});
			dialog.$wrapper.addClass("hs-cancel-dialog");
			dialog.fields_dict.terms_html.$wrapper.html(hs_cancel_terms_html(terms));
			dialog.show();
		},
	});
}

function hs_cancel_terms_html(terms) {
	const money = (value) => hs_esc(format_currency(value, terms.currency));
	const free = terms.free_until
		? `<div class="text-muted small">${hs_esc(
				__("Free cancellation until {0}", [frappe.datetime.str_to_user(terms.free_until)])
		  )}</div>`
		: "";
	return `<table class="table table-sm hs-cancel-terms">
		<tr><td>${hs_esc(__("Paid"))}</td><td class="text-right hs-cancel-paid">${money(terms.paid)}</td></tr>
		<tr><td>${hs_esc(__("Cancellation Fee"))}</td><td class="text-right hs-cancel-fee">${money(
			terms.fee
		)}</td></tr>
		<tr><td><b>${hs_esc(__("Refund"))}</b></td><td class="text-right hs-cancel-refund"><b>${money(
			terms.refund
		)}</b></td></tr>
	</table>${free}`;
}
