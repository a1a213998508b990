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
