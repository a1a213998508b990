from frappe.tests.utils import FrappeTestCase

from home_service.booking.report.hs_customer_activity.hs_customer_activity import execute
from home_service.tests.factories import make_user
from home_service.tests.report_export import FORMATS, exported, header
from home_service.tests.report_fixtures import BookingMaker
from home_service.utils.reports import ReportFilterError

# range: March 1999; lapsed = no booking in the 30 days up to 1999-03-31 (since 1999-03-02)
FILTERS = {"from_date": "1999-03-01", "to_date": "1999-03-31", "lapsed_days": 30}


class TestCustomerActivity(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make = BookingMaker()
		cls.area = make.area
		wechat = {"acquisition_channel": "WeChat Mini Program"}
		new1, new2 = make.customer(**wechat), make.customer(**wechat)
		returning = make.customer(**wechat)
		lapsed1, lapsed2 = make.customer(**wechat), make.customer(acquisition_channel="Referral")
		future_only = make.customer(acquisition_channel="Referral")
		make.booking(new1, "1999-03-05 10:00:00")
		make.booking(new1, "1999-03-20 10:00:00")  # twice in range, still one customer
		make.booking(new2, "1999-03-31 23:00:00")
		make.booking(returning, "1998-12-01 10:00:00")
		make.booking(returning, "1999-03-10 10:00:00")
		make.booking(lapsed1, "1999-01-15 10:00:00")
		make.booking(lapsed2, "1998-06-01 10:00:00")
		make.booking(lapsed2, "1999-03-01 09:00:00")  # active in range, but not in the last 30 days
		make.booking(future_only, "1999-04-02 10:00:00")  # after To Date: not a customer yet

	def test_new_active_returning_lapsed(self):
		_c, rows, _m, _ch, summary = execute({**FILTERS, "service_area": self.area})
		self.assertEqual(
			{r.acquisition_channel: (r.new, r.returning, r.active, r.lapsed) for r in rows},
			{"WeChat Mini Program": (2, 1, 3, 1), "Referral": (0, 1, 1, 1)},
		)
		self.assertEqual(
			{s["label"]: s["value"] for s in summary},
			{"New Customers": 2, "Active Customers": 4, "Lapsed Customers": 2},
		)

	def test_a_short_lapse_window_counts_more_customers_as_lapsed(self):
		_c, rows, _m, _ch, _s = execute({**FILTERS, "lapsed_days": 5, "service_area": self.area})
		self.assertEqual(
			{r.acquisition_channel: r.lapsed for r in rows}, {"WeChat Mini Program": 3, "Referral": 1}
		)

	def test_lapse_window_must_be_positive(self):
		with self.assertRaises(ReportFilterError):
			execute({**FILTERS, "lapsed_days": -1})

	def test_operations_manager_exports_it_as_csv_and_excel(self):
		filters = {**FILTERS, "service_area": self.area}
		columns = execute(filters)[0]
		manager = make_user(["HS Operations Manager"])
		for file_format in FORMATS:
			with self.subTest(file_format):
				rows = exported("HS Customer Activity", filters, manager, file_format)
				self.assertEqual(rows[0], header(columns))
				self.assertEqual(
					sorted(rows[1:]),
					[["Referral", "0", "1", "1", "1"], ["WeChat Mini Program", "2", "1", "3", "1"]],
				)
