"""The shipped reports, dashboard charts and workspace load after migrate and produce data."""

import json

import frappe
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.query_report import run as run_report
from frappe.tests.utils import FrappeTestCase

from home_service.tests.factories import make_user
from home_service.tests.report_fixtures import BookingMaker

REPORTS = {
	"HS Orders and Revenue": ("Booking", {"HS Operations Manager", "HS Finance", "System Manager"}),
	"HS Booking Funnel": ("Booking", {"HS Operations Manager", "System Manager"}),
	"HS Customer Activity": ("Booking", {"HS Operations Manager", "System Manager"}),
	"HS Technician Performance": ("Workforce", {"HS Operations Manager", "HS Dispatcher", "System Manager"}),
	"HS Coupon Cost and Return": ("Marketing", {"HS Operations Manager", "HS Finance", "System Manager"}),
	"HS Recycling Volume and Payouts": ("Billing", {"HS Operations Manager", "HS Finance", "System Manager"}),
	"HS Payment Reconciliation": ("Billing", {"HS Operations Manager", "HS Finance", "System Manager"}),
}
STAFF_ROLES = {"HS Operations Manager", "HS Dispatcher", "HS Customer Service", "HS Finance"}
CHARTS = (
	"Bookings by Status",
	"GMV by Day",
	"Orders by Category",
	"Orders by District",
	"Technician Utilisation",
)


def run(report: str, filters: dict | None = None) -> dict:
	"""The report as Desk runs it for the session user (role check included)."""
	return run_report(report, filters=filters or {}, ignore_prepared_report=True)


def chart_data(chart) -> dict:
	"""What the workspace's chart widget fetches: Frappe's own query, or a custom chart source's."""
	if chart.chart_type != "Custom":
		return get_chart(chart_name=chart.name, refresh=1)
	source = frappe.get_doc("Dashboard Chart Source", chart.source)
	module, folder = frappe.scrub(source.module), frappe.scrub(source.name)
	method = f"home_service.{module}.dashboard_chart_source.{folder}.{folder}.get"
	return frappe.get_attr(method)(chart_name=chart.name, refresh=1)


class TestAnalytics(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make = BookingMaker()
		customer = make.customer()
		cls.created = frappe.utils.now_datetime()
		make.booking(customer, cls.created, paid_on=cls.created, grand_total=88)

	def test_every_report_is_a_standard_script_report_for_its_roles_only(self):
		users = {role: make_user([role]) for role in STAFF_ROLES}
		for name, (module, roles) in REPORTS.items():
			with self.subTest(report=name):
				report = frappe.get_doc("Report", name)
				self.assertEqual(
					(report.report_type, report.is_standard, report.module), ("Script Report", "Yes", module)
				)
				self.assertTrue(frappe.db.exists("DocType", report.ref_doctype))
				self.assertEqual({r.role for r in report.roles}, roles)
				for role, user in sorted(users.items()):  # the roles are enforced, not only listed
					with self.set_user(user):
						if role not in roles:
							self.assertRaises(frappe.PermissionError, run, name)
							continue
						result = run(name)
				columns = result["columns"]
				fieldnames = [c["fieldname"] for c in columns]
				self.assertEqual(len(fieldnames), len(set(fieldnames)))
				self.assertTrue(all(c.get("label") and c.get("fieldtype") for c in columns), columns)
				for row in result["result"]:  # every row fills every column (None for no value)
					self.assertLessEqual(set(fieldnames), set(row), row)

	def test_the_booking_reports_count_todays_booking_with_their_default_filters(self):
		today = frappe.utils.getdate(self.created)  # the day it was booked, also just after midnight
		orders = {row["group_value"]: row for row in run("HS Orders and Revenue")["result"]}
		self.assertGreaterEqual(orders[today]["orders"], 1)
		self.assertGreaterEqual(orders[today]["gmv"], 88)
		created = run("HS Booking Funnel")["result"][0]
		self.assertEqual(created["step"], "Bookings Created")
		self.assertGreaterEqual(created["bookings"], 1)

	def test_every_chart_returns_data(self):
		staff = [make_user([role]) for role in sorted(STAFF_ROLES)]
		for name in CHARTS:
			with self.subTest(chart=name):
				chart = frappe.get_doc("Dashboard Chart", name)
				self.assertTrue(chart.is_standard)
				for user in staff:  # the workspace shows a chart only to whoever may read it
					self.assertTrue(frappe.has_permission("Dashboard Chart", doc=chart, user=user), user)
				data = chart_data(chart)
				self.assertTrue(data["labels"], name)
				self.assertTrue(data["datasets"][0]["values"], name)
		gmv = get_chart(chart_name="GMV by Day", refresh=1)
		self.assertGreaterEqual(gmv["datasets"][0]["values"][-1], 88)

	def test_workspace_reaches_every_chart_card_and_report(self):
		ws = frappe.get_doc("Workspace", "Home Service")
		blocks = json.loads(ws.content)
		self.assertEqual({b["data"]["chart_name"] for b in blocks if b["type"] == "chart"}, set(CHARTS))
		self.assertEqual({c.chart_name for c in ws.charts}, set(CHARTS))
		cards = {c.number_card_name for c in ws.number_cards}
		self.assertTrue(
			{b["data"]["number_card_name"] for b in blocks if b["type"] == "number_card"} <= cards
		)
		card_breaks = {link.label for link in ws.links if link.type == "Card Break"}
		self.assertTrue({b["data"]["card_name"] for b in blocks if b["type"] == "card"} <= card_breaks)
		linked = {link.link_to for link in ws.links if link.link_type == "Report"}
		self.assertEqual(linked, set(REPORTS))

	def test_workspace_reaches_every_doctype_a_staff_role_uses(self):
		ws = frappe.get_doc("Workspace", "Home Service")
		reachable = {s.link_to for s in ws.shortcuts if s.type == "DocType"} | {
			link.link_to for link in ws.links if link.type == "Link" and link.link_type == "DocType"
		}
		used = {
			doctype
			for doctype in frappe.get_all(
				"DocType", filters={"name": ("like", "HS %"), "istable": 0}, pluck="name"
			)
			if {p.role for p in frappe.get_meta(doctype).permissions if p.read} & STAFF_ROLES
		}
		self.assertGreater(len(used), 35)
		self.assertEqual(used - reachable, set(), "add these to the workspace")
		for link in ws.links:
			if link.type == "Link":
				self.assertTrue(frappe.db.exists(link.link_type, link.link_to), link.link_to)
		# every card shows on the page and holds exactly the links that follow its break
		blocks = json.loads(ws.content)
		cards = [link for link in ws.links if link.type == "Card Break"]
		self.assertEqual(
			{b["data"]["card_name"] for b in blocks if b["type"] == "card"}, {c.label for c in cards}
		)
		breaks = [i for i, link in enumerate(ws.links) if link.type == "Card Break"] + [len(ws.links)]
		for card, start, end in zip(cards, breaks, breaks[1:], strict=False):
			self.assertEqual(card.link_count, end - start - 1, card.label)
