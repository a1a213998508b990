// Copyright (c) 2026, Home Service contributors
// Dashboard chart axes that read as what they count.
//
// Frappe's axis formatter (frappe.utils.format_chart_axis_number → shorten_number) prints a number
// below 1000 with two decimals, so a count chart's axis read 0, 50, 100.00, 150.00, 200.00. A whole
// number is shown whole here; larger ones keep Frappe's 1 K, 2 M. A count chart (Count, or Group By
// with Count) also drops the fractional ticks Frappe Charts puts between small counts (0, 0.5, 1),
// and a chart whose custom options give its values the Percent fieldtype puts a % on its axis.
//
// Frappe Charts cuts a bar chart's category labels to what fits 7 px per character (Latin): Chinese
// names came out as 1–2 characters and "..". The full name is drawn again, on two lines when one
// is too wide for its bar, with the whole name as the label's tooltip.

window.home_service = window.home_service || {};

(() => {
	const shorten = frappe.utils.format_chart_axis_number;
	frappe.utils.format_chart_axis_number = function (label, country) {
		const value = Number(label);
		if (Number.isInteger(value) && Math.abs(value) < 1000) return String(value);
		return shorten.call(this, label, country);
	};

	home_service.chart_axis = (chart_doc) => {
		const doc = chart_doc || {};
		let custom = {};
		try {
			custom = JSON.parse(doc.custom_options || "{}") || {};
		} catch (e) {
			custom = {};
		}
		return {
			counts:
				doc.chart_type === "Count" ||
				(doc.chart_type === "Group By" && (doc.group_by_type || "Count") === "Count"),
			unit: custom.fieldtype === "Percent" ? "%" : "",
		};
	};

	// label `text` (an SVG <text>) shows `full` within `width` px: one line, two, or two and "…"
	const shown = (text) =>
		[...text.childNodes]
			.filter((node) => node.nodeName !== "title")
			.map((node) => node.textContent)
			.join("\n");
	const fit_label = (text, full, width) => {
		// fitted already, and Frappe Charts has not written its cut label over it since
		if (text.dataset.hsLabel === full && text.dataset.hsShown === shown(text)) return;
		text.dataset.hsLabel = full;
		text.textContent = full;
		const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
		title.textContent = full;
		if (text.getComputedTextLength() > width) {
			const chars = [...full];
			let cut = chars.length;
			while (cut > 1) {
				text.textContent = chars.slice(0, cut).join("");
				if (text.getComputedTextLength() <= width) break;
				cut--;
			}
			let rest = chars.slice(cut);
			text.textContent = "";
			const line = (content, dy) => {
				const tspan = document.createElementNS("http://www.w3.org/2000/svg", "tspan");
				tspan.setAttribute("x", "0");
				if (dy) tspan.setAttribute("dy", dy);
				tspan.textContent = content;
				text.appendChild(tspan);
				return tspan;
			};
			line(chars.slice(0, cut).join(""));
			const second = line(rest.join(""), "1.2em");
			while (rest.length > 1 && second.getComputedTextLength() > width) {
				rest = rest.slice(0, -1);
				second.textContent = rest.join("") + "…";
			}
		}
		text.appendChild(title);
		text.dataset.hsShown = shown(text);
	};

	home_service.fit_bar_labels = (wrapper, labels) => {
		const texts = [...wrapper.querySelectorAll(".x.axis text")];
		if (!labels || !labels.length || texts.length !== labels.length) return;
		const xs = texts.map((t) => t.parentNode.transform.baseVal.consolidate()?.matrix.e || 0);
		const step = xs.length > 1 ? Math.abs(xs[1] - xs[0]) : wrapper.getBoundingClientRect().width;
		texts.forEach((text, i) => fit_label(text, String(labels[i] ?? ""), step * 0.92));
	};

	const ChartWidget = frappe.widget && frappe.widget.widget_factory.chart;
	if (!ChartWidget) return;
	const get_chart_args = ChartWidget.prototype.get_chart_args;
	ChartWidget.prototype.get_chart_args = function (...args) {
		const chart_args = get_chart_args.apply(this, args);
		const { counts, unit } = home_service.chart_axis(this.chart_doc);
		if (counts || unit) {
			chart_args.axisOptions = Object.assign({}, chart_args.axisOptions, {
				shortenYAxisNumbers: 1,
				numberFormatter: (label) => {
					if (counts && !Number.isInteger(Number(label))) return "";
					return frappe.utils.format_chart_axis_number(label) + unit;
				},
			});
		}
		if (chart_args.type === "bar" && !(chart_args.axisOptions || {}).xIsSeries) {
			this.watch_bar_labels();
		}
		return chart_args;
	};

	// Frappe Charts redraws the axis on every update and resize: fit the labels after each draw
	ChartWidget.prototype.watch_bar_labels = function () {
		if (this.hs_label_observer) return;
		const wrapper = this.chart_wrapper[0];
		let queued = false;
		this.hs_label_observer = new MutationObserver(() => {
			if (queued) return;
			queued = true;
			requestAnimationFrame(() => {
				queued = false;
				home_service.fit_bar_labels(wrapper, (this.data || {}).labels);
			});
		});
		this.hs_label_observer.observe(wrapper, { childList: true, subtree: true });
	};
})();
