// Copyright (c) 2026, Home Service contributors
// For license information, please see license.txt

const HS_BOARD_METHOD = "home_service.dispatch.page.hs_dispatch_board.hs_dispatch_board";

frappe.pages["hs-dispatch-board"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Dispatch Board"),
		single_column: true,
	});
	wrapper.hs_board = new HSDispatchBoard(page);
};

frappe.pages["hs-dispatch-board"].on_page_show = function (wrapper) {
	const board = wrapper.hs_board;
	if (!board) return;
	const route_options = frappe.route_options || {};
	frappe.route_options = null;
	board.apply_route_options(route_options).then(() => board.refresh());
};

class HSDispatchBoard {
	constructor(page) {
		this.page = page;
		this.data = null;
		this.date_field = page.add_field({
			fieldname: "date",
			label: __("Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			change: () => this.on_filter_change(),
		});
		this.area_field = page.add_field({
			fieldname: "service_area",
			label: __("Service Area"),
			fieldtype: "Link",
			options: "HS Service Area",
			change: () => this.on_filter_change(),
		});
		// no area chosen: the board shows every area (add_field puts the label in the placeholder)
		this.area_field.$input.attr("placeholder", __("All Service Areas"));
		page.set_primary_action(__("Refresh"), () => this.refresh(), "refresh");
		this.$body = $(`<div class="hs-board">
			<div class="hs-board-message"></div>
			<div class="hs-board-layout">
				<div class="hs-board-timeline"></div>
				<div class="hs-board-side"></div>
			</div>
		</div>`).appendTo(page.main);
		// another dispatcher, a technician's app or the dispatch engine changed a booking
		frappe.realtime.on("hs_dispatch_board", (message) => this.on_realtime(message || {}));
	}

	on_realtime(message) {
		if (!this.data || frappe.get_route_str() !== "hs-dispatch-board") return;
		const rows = new Set(this.data.technicians.map((t) => t.name));
		const concerns =
			!this.data.service_area || // every area's board
			message.service_area === this.data.service_area ||
			rows.has(message.technician) ||
			rows.has(message.previous_technician);
		if (concerns && (!message.date || message.date === this.data.date)) {
			clearTimeout(this.realtime_timer);
			this.realtime_timer = setTimeout(() => this.refresh(), 300);
		}
	}

	async apply_route_options({ date, service_area }) {
		// set the filters from a link (e.g. the booking form) without a reload per field
		this.applying = true;
		try {
			if (date) await this.date_field.set_value(date);
			if (service_area) await this.area_field.set_value(service_area);
		} finally {
			this.applying = false;
		}
	}

	filters() {
		return {
			date: this.date_field.get_value() || frappe.datetime.get_today(),
			service_area: this.area_field.get_value() || undefined,
		};
	}

	on_filter_change() {
		// the date control reports its default as a change once it is drawn: the board loaded that already
		const { date, service_area } = this.filters();
		const loaded = this.loaded_filters;
		if (this.applying || (loaded && loaded.date === date && loaded.service_area === service_area)) return;
		this.refresh();
	}

	refresh() {
		const { date, service_area } = this.filters();
		this.loaded_filters = { date, service_area };
		const request = (this.request_no = (this.request_no || 0) + 1);
		return frappe
			.call({ method: `${HS_BOARD_METHOD}.get_board`, args: { date, service_area } })
			.then((r) => {
				if (request !== this.request_no) return; // a newer load is on its way
				this.data = r.message;
				if (!service_area && !this.area_field.get_value() && this.data.service_area) {
					// the user's own area, picked by the server: shown without triggering another load
					this.area_field.value = this.data.service_area;
					this.area_field.set_input(this.data.service_area);
					this.loaded_filters.service_area = this.data.service_area;
				}
				this.render();
			});
	}

	render() {
		this.$body.find(".hs-board-message").empty();
		this.render_timeline();
		this.render_side();
		this.$body.attr("data-loaded-date", this.data.date);
	}

	hours() {
		let first = 7;
		let last = 21;
		for (const b of this.data.bookings) {
			first = Math.min(first, moment(b.window_start).hour());
			last = Math.max(last, Math.ceil(this.minutes_of(this.end_of(b)) / 60));
		}
		return [first, Math.min(Math.max(last, first + 1), 24)];
	}

	minutes_of(datetime) {
		const m = moment(datetime);
		const day = moment(this.data.date);
		return m.diff(day, "minutes");
	}

	end_of(booking) {
		return booking.service_end || booking.window_end || booking.window_start;
	}

	render_timeline() {
		const $tl = this.$body.find(".hs-board-timeline").empty();
		const esc = frappe.utils.escape_html;
		if (!this.data.areas.length) {
			$tl.html(`<div class="text-muted">${__("Create a service area first.")}</div>`);
			return;
		}
		const [first, last] = this.hours();
		const span = (last - first) * 60;
		const pct = (minutes) => Math.max(0, Math.min(100, ((minutes - first * 60) / span) * 100));

		const ticks = [];
		for (let h = first; h <= last; h++) {
			ticks.push(`<span class="hs-board-tick" style="left:${pct(h * 60)}%">${h}:00</span>`);
		}
		const rows = this.data.technicians.map((t) => {
			const blocks = this.data.bookings
				.filter((b) => b.technician === t.name)
				.map((b) => {
					const left = pct(this.minutes_of(b.window_start));
					const width = Math.max(pct(this.minutes_of(this.end_of(b))) - left, 1.5);
					const time = `${moment(b.window_start).format("HH:mm")}–${moment(this.end_of(b)).format(
						"HH:mm"
					)}`;
					return `<div class="hs-board-block hs-board-${home_service.booking_status_color(b.status)}"
						data-booking="${esc(b.name)}" data-status="${esc(b.status)}"
						style="left:${left}%;width:${width}%"
						title="${esc(`${b.name} · ${b.customer_name || ""} · ${__(b.status)} · ${time}`)}">
						<span class="hs-board-block-time">${time}</span>
						<span class="hs-board-block-name">${esc(b.customer_name || b.name)}</span>
					</div>`;
				});
			return `<div class="hs-board-row" data-technician="${esc(t.name)}">
				<div class="hs-board-tech">
					<span class="indicator-pill no-indicator-dot ${
						t.status === "Online" ? "green" : t.status === "Busy" ? "orange" : "gray"
					}">${esc(__(t.status || "Offline"))}</span>
					<span class="hs-board-tech-name">${esc(t.technician_name || t.name)}</span>
				</div>
				<div class="hs-board-track">${blocks.join("")}</div>
			</div>`;
		});
		$tl.html(`
			<div class="hs-board-row hs-board-header">
				<div class="hs-board-tech text-muted">${__("Technician")}</div>
				<div class="hs-board-track">${ticks.join("")}</div>
			</div>
			${
				rows.length
					? rows.join("")
					: `<div class="text-muted hs-board-empty">${__(
							"No technician serves this area."
					  )}</div>`
			}`);
		$tl.find(".hs-board-block").on("click", (e) => {
			const booking = this.data.bookings.find((b) => b.name === e.currentTarget.dataset.booking);
			if (booking.status === "Assigned") {
				this.assign_dialog(booking);
			} else {
				frappe.set_route("Form", "HS Booking", booking.name);
			}
		});
	}

	render_side() {
		const $side = this.$body.find(".hs-board-side").empty();
		const esc = frappe.utils.escape_html;
		const cards = this.data.unassigned.map((b) => {
			const manual = b.needs_manual_dispatch
				? `<span class="indicator-pill no-indicator-dot red">${__("Needs a dispatcher")}</span>`
				: "";
			return `<div class="hs-board-card" data-booking="${esc(b.name)}">
				<div class="hs-board-card-head">
					<a href="/app/hs-booking/${encodeURIComponent(b.name)}">${esc(b.name)}</a>
					<span class="indicator-pill no-indicator-dot ${home_service.booking_status_color(b.status)}">${esc(
				__(b.status)
			)}</span>
					${manual}
				</div>
				<div>${esc(b.customer_name || "")} · ${esc(__(b.service_category || ""))}</div>
				<div class="text-muted">${moment(b.window_start).format("HH:mm")}–${moment(
				b.window_end
			).format("HH:mm")} · ${esc(b.address_display || "")}</div>
				<button class="btn btn-xs btn-primary hs-board-assign">${__("Assign")}</button>
			</div>`;
		});
		$side.html(`<div class="hs-board-side-title">${__("Unassigned")} (${cards.length})</div>
			${cards.join("") || `<div class="text-muted">${__("Nothing waiting for dispatch.")}</div>`}`);
		$side.find(".hs-board-assign").on("click", (e) => {
			const name = $(e.currentTarget).closest(".hs-board-card").attr("data-booking");
			this.assign_dialog(this.data.unassigned.find((b) => b.name === name));
		});
	}

	assign_dialog(booking) {
		const options = this.data.technicians
			.filter((t) => t.name !== booking.technician)
			.map((t) => ({ value: t.name, label: t.technician_name || t.name }));
		const dialog = new frappe.ui.Dialog({
			title: booking.technician
				? __("Reassign {0}", [booking.name])
				: __("Assign {0}", [booking.name]),
			fields: [
				{
					fieldtype: "HTML",
					options: `<p class="text-muted">${frappe.utils.escape_html(
						`${booking.customer_name || ""} · ${moment(booking.window_start).format(
							"YYYY-MM-DD HH:mm"
						)}`
					)}</p>`,
				},
				{
					fieldname: "technician",
					fieldtype: "Select",
					label: __("Technician"),
					options: [{ value: "", label: "" }, ...options],
					reqd: 1,
				},
			],
			primary_action_label: booking.technician ? __("Reassign") : __("Assign"),
			primary_action: ({ technician }) => {
				frappe.call({
					method: `${HS_BOARD_METHOD}.assign`,
					type: "POST",
					args: { booking: booking.name, technician },
					freeze: true,
					callback: (r) => {
						dialog.hide();
						frappe.show_alert({
							message: __("{0} assigned to {1}", [r.message.name, r.message.technician_name]),
							indicator: "green",
						});
						this.refresh();
					},
					error: () => {
						// frappe.call shows the server's message (e.g. the technician is busy)
						this.refresh().then(() =>
							this.$body.find(".hs-board-message").html(
								`<div class="alert alert-warning">${__(
									"{0} was not assigned; the board is reloaded.",
									[frappe.utils.escape_html(booking.name)]
								)}</div>`
							)
						);
					},
				});
			},
		});
		dialog.$wrapper.addClass("hs-board-assign-dialog");
		dialog.show();
	}
}
