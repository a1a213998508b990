// Copyright (c) 2026, Home Service contributors
// A page of this app the user may not open says so plainly (access/desk_pages.py lists them in the
// boot): Desk would otherwise call a DocType it cannot read a missing page ("页 hs-payment未找到"),
// fail on a refused report with an uncaught rejection, or show a server error for a refused Page.

window.home_service = window.home_service || {};

home_service.refused_route = (route) => {
	const refused = (frappe.boot && frappe.boot.hs_refused) || {};
	const [first, second] = route || [];
	if (!first) return null;
	const slug = (name) => frappe.router.slug(name);
	const doctype = (name) =>
		(refused.doctypes || []).find((d) => d === name || slug(d) === slug(name || ""));
	const views = ["list", "form", "report", "tree", "dashboard", "print", "image", "kanban", "calendar"];
	if (views.includes(first.toLowerCase()) && second && doctype(second)) {
		return __(doctype(second));
	}
	if (first === "query-report" && second && (refused.reports || []).includes(second)) {
		return __(second);
	}
	if (doctype(first)) return __(doctype(first));
	const page = (refused.pages || []).find(([name]) => name === first);
	return page ? __(page[1]) : null;
};

home_service.show_no_permission = (label) => {
	const route = frappe.get_route_str();
	frappe.show_message_page({
		page_name: `hs-no-permission/${route}`,
		message: frappe.utils.escape_html(
			__("No permission: your role may not open {0}. Ask an administrator if your work needs it.", [
				label,
			])
		),
		img: "/assets/frappe/images/ui/bubble-tea-sorry.svg",
	});
	$(frappe.container.page).addClass("hs-no-permission");
	frappe.utils.set_title(__("No permission"));
	frappe.breadcrumbs.clear && frappe.breadcrumbs.clear();
};

(() => {
	const render_page = frappe.router.render_page;
	frappe.router.render_page = function (...args) {
		const label = home_service.refused_route(this.current_route);
		if (label) {
			home_service.show_no_permission(label);
			return;
		}
		return render_page.apply(this, args);
	};
})();
