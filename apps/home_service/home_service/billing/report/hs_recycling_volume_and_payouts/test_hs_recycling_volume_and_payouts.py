from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.billing.report.hs_recycling_volume_and_payouts.hs_recycling_volume_and_payouts import (
	execute,
)
from home_service.tests.factories import make_user, uid
from home_service.tests.report_export import FORMATS, exported, header
from home_service.tests.report_fixtures import BookingMaker, set_row

FILTERS = {"from_date": "1999-11-01", "to_date": "1999-11-30"}


class TestRecyclingVolumeAndPayouts(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make = BookingMaker()
		cls.paper, cls.metal = uid("纸板 "), uid("金属 ")
		customer = make.customer()

		def pickup(created, status, lines):
			booking = make.booking(customer, created)
			doc = frappe.get_doc(
				{
					"doctype": "HS Recycling Pickup",
					"booking": booking,
					"customer": customer,
					"status": status,
					"lines": [
						{
							"waste_type": waste,
							"weight_kg": kg,
							"price_per_kg": price,
							"amount": Decimal(fen) / 100,
							"amount_fen": fen,
						}
						for waste, kg, price, fen in lines
					],
				}
			).insert(ignore_permissions=True)
			set_row("HS Recycling Pickup", doc.name, creation=created)

		pickup("1999-11-02 10:00:00", "Paid", [(cls.paper, 12.5, 1.2, 1500), (cls.metal, 3.25, 2.5, 813)])
		pickup("1999-11-03 10:00:00", "Paid", [(cls.paper, 7.505, 1.2, 901)])
		pickup("1999-11-04 10:00:00", "Review", [(cls.paper, 100, 1.2, 12000)])
		pickup("1999-12-01 10:00:00", "Paid", [(cls.metal, 9, 2.5, 2250)])  # after the range

	def mine(self, rows):
		return {r.waste_type: r for r in rows if r.waste_type in (self.paper, self.metal)}

	def test_paid_volume_and_payout_by_waste_type(self):
		_c, rows, _m, _ch, _s = execute(FILTERS)
		mine = self.mine(rows)
		paper, metal = mine[self.paper], mine[self.metal]
		self.assertEqual(
			(paper.pickups, paper.weight_kg, paper.payout, paper.average_price_per_kg),
			(2, Decimal("20.005"), Decimal("24.01"), Decimal("1.20")),
		)
		self.assertEqual(
			(metal.pickups, metal.weight_kg, metal.payout, metal.average_price_per_kg),
			(1, Decimal("3.250"), Decimal("8.13"), Decimal("2.50")),
		)

	def test_review_status_shows_what_waits(self):
		_c, rows, _m, _ch, _s = execute({**FILTERS, "status": "Review"})
		mine = self.mine(rows)
		self.assertEqual(list(mine), [self.paper])
		self.assertEqual(
			(mine[self.paper].weight_kg, mine[self.paper].payout), (Decimal("100.000"), Decimal("120.00"))
		)

	def test_finance_exports_it_as_csv_and_excel(self):
		columns = execute(FILTERS)[0]
		finance = make_user(["HS Finance"])
		for file_format in FORMATS:
			with self.subTest(file_format):
				rows = exported("HS Recycling Volume and Payouts", FILTERS, finance, file_format)
				self.assertEqual(rows[0], header(columns))
				mine = sorted(r for r in rows[1:] if r[0] in (self.paper, self.metal))
				self.assertEqual(
					mine,
					sorted(
						[
							[self.paper, "2", "20.005", "24.01", "1.20"],
							[self.metal, "1", "3.250", "8.13", "2.50"],
						]
					),
				)
