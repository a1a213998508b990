// Copyright (c) 2026, Home Service contributors
// Shared by the booking form, the booking list and the dispatch board (loaded on every Desk page).

window.home_service = window.home_service || {}; // plain: this file may load before frappe.provide exists

// indicator colour of each booking status category (booking/lifecycle.py)
home_service.BOOKING_STATUS_COLORS = {
	"Pending Payment": "orange",
	"Pending Dispatch": "orange",
	Offered: "blue",
	Assigned: "purple",
	"On The Way": "cyan",
	Arrived: "cyan",
	"In Service": "purple",
	"Awaiting Confirmation": "blue",
	Completed: "green",
	Cancelled: "gray",
	Refunded: "gray",
	Exception: "red",
};

home_service.booking_status_color = (status) => home_service.BOOKING_STATUS_COLORS[status] || "gray";

// a booking automatic dispatch could not place is in the dispatcher queue: tell its dispatchers now
// (dispatch/queue.py alert_dispatchers, sent to each dispatcher's own room)
$(document).on("app_ready", () => {
	frappe.realtime.on("hs_dispatch_alert", (data) => {
		if (!data || !data.booking) return;
		const url = `/app/hs-booking/${encodeURIComponent(data.booking)}`;
		const text = frappe.utils.escape_html(data.message || data.booking);
		frappe.show_alert({ message: `<a href="${url}">${text}</a>`, indicator: "orange" }, 15);
	});
});

// Texts the server stores in English from one of booking/stored_text.py's templates (a timeline note such
// as "Round 2", a dispatch outcome), shown in the reader's language like `stored_text.translated`; what
// a person typed matches no template and is shown as typed. The templates come with the boot.
home_service.stored_text = (text) => {
	if (!text) return text;
	const stored = frappe.boot.hs_stored_texts || { templates: [], argument_context: {} };
	if (!home_service._stored_patterns) {
		const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
		home_service._stored_patterns = stored.templates.map((template) => [
			template,
			new RegExp(`^${escape(template).replace(/\\\{\d+\\\}/g, "(.+?)")}$`, "s"),
		]);
	}
	for (const [template, pattern] of home_service._stored_patterns) {
		const match = pattern.exec(text);
		if (match) {
			const context = stored.argument_context[template];
			return __(
				template,
				match.slice(1).map((arg) => __(arg, null, context))
			);
		}
	}
	return text;
};

// Frappe's Datetime control appends the time zone to a field's description and then translates the
// combined text, which no translation has ("Window start plus the service duration<br>Asia/Shanghai"
// stayed English for a zh user): translate the description first, as every other control does.
frappe.ui.form.ControlDatetime = class HSControlDatetime extends frappe.ui.form.ControlDatetime {
	set_description(description) {
		if (description === undefined && this.df.description) {
			this.df.description = __(this.df.description);
		}
		super.set_description(description);
	}
};

// Frappe's form timeline writes a changed field's values as stored ("状态 from Pending Payment to Paid"):
// show a Select option or workflow state of ours as the form shows it, in the reader's language.
home_service.translate_timeline_values = (frm) => {
	const wrapper = frm.timeline && frm.timeline.timeline_items_wrapper;
	if (!wrapper) return;
	const stored = new Set(["null"]);
	for (const df of frappe.get_meta(frm.doctype).fields) {
		if (df.fieldtype === "Select") (df.options || "").split("\n").forEach((o) => o && stored.add(o));
	}
	const workflow = frappe.workflow.workflows && frappe.workflow.workflows[frm.doctype];
	((workflow && workflow.states) || []).forEach((row) => stored.add(row.state));
	wrapper.find(".timeline-content b").each((_i, element) => {
		if (stored.has(element.textContent)) {
			element.textContent = __(element.textContent, null, frm.doctype);
		}
	});
};
$(document).on("form-refresh", (_event, frm) => {
	if (!frm || !frm.doctype || !frm.doctype.startsWith("HS ")) return;
	home_service._timeline_doctypes = home_service._timeline_doctypes || new Set();
	if (!home_service._timeline_doctypes.has(frm.doctype)) {
		home_service._timeline_doctypes.add(frm.doctype);
		frappe.ui.form.on(frm.doctype, "timeline_refresh", home_service.translate_timeline_values);
	}
	home_service.translate_timeline_values(frm);
});

// Data fields that hold the name of a hook (a payment gateway, a dispatch strategy, a notification
// channel, a pricing model) or of a notification event: Frappe shows Data as stored in a list, a report
// and a read-only form field; show the name in the reader's language, with the DocType whose hook it is
// as context ("Offline" is 线下 as a gateway, 离线 as a status).
home_service.HOOK_NAME_FIELDS = {
	event: null,
	gateway: "HS Payment",
	payout_gateway: "HS Payment",
	recycling_transfer_gateway: "HS Payment",
	strategy: "HS Dispatch Rule",
	channel: "HS Notification Log",
	pricing_model: "HS Service Item",
};
// Data fields written from one of booking/stored_text.py's templates (a quote's price lines)
home_service.STORED_TEXT_FIELDS = ["HS Booking Charge.description"];
home_service.hook_name = (value, fieldname) =>
	value && Object.hasOwn(home_service.HOOK_NAME_FIELDS, fieldname)
		? __(value, null, home_service.HOOK_NAME_FIELDS[fieldname])
		: value;
(() => {
	const data = frappe.form.formatters.Data;
	frappe.form.formatters.Data = function (value, df, ...rest) {
		if (df && df.fieldtype === "Data" && df.parent && df.parent.startsWith("HS ")) {
			value = home_service.STORED_TEXT_FIELDS.includes(`${df.parent}.${df.fieldname}`)
				? home_service.stored_text(value)
				: home_service.hook_name(value, df.fieldname);
		}
		return data.call(this, value, df, ...rest);
	};
})();
