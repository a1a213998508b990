# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

from decimal import Decimal

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.catalog.pricing import compute_quote, forget_price_rules
from home_service.catalog.pricing_models import PricingError
from home_service.tests.factories import (
	CENTRE,
	deactivate_price_rules,
	make_area,
	make_category,
	make_item,
	uid,
)

DAY = "2031-03-12"  # a Wednesday outside every date range below


def rule(rule_type: str, **kw) -> str:
	return (
		frappe.get_doc({"doctype": "HS Price Rule", "rule_name": uid("Rule "), "rule_type": rule_type, **kw})
		.insert()
		.name
	)


def quote(items, at=f"{DAY} 10:00:00", **kw):
	return compute_quote(items, at, **kw)


class TestPricing(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# demo or earlier rules must not leak into these exact figures (rolled back after the class)
		deactivate_price_rules()
		cls.ac = make_item(
			specs=[
				{"spec_name": "1-1.5P", "price": 120, "duration_minutes": 60, "is_default": 1},
				{"spec_name": "2P", "price": 150, "duration_minutes": 90},
			]
		)

	def setUp(self):
		# each test sees only its own rules
		frappe.db.savepoint("pricing_case")

	def tearDown(self):
		frappe.db.rollback(save_point="pricing_case")
		forget_price_rules()  # a rollback to a savepoint runs no callbacks: the test's rules go here

	def test_fixed_price_by_spec_times_quantity(self):
		q = quote([{"service_item": self.ac, "spec": "2P", "quantity": 2}])
		self.assertEqual(q.items_total, Decimal("300.00"))
		self.assertEqual(q.grand_total, Decimal("300.00"))
		self.assertEqual(q.duration_minutes, 180)
		self.assertIn("2P × 2", q.charges[0].description)

	def test_default_spec_is_used_when_none_chosen(self):
		self.assertEqual(quote([{"service_item": self.ac}]).grand_total, Decimal("120.00"))

	def test_spec_is_required_when_several_and_no_default(self):
		item = make_item(specs=[{"spec_name": "A", "price": 10}, {"spec_name": "B", "price": 20}])
		self.assertRaises(PricingError, quote, [{"service_item": item}])

	def test_unknown_spec_item_and_bad_quantities_are_rejected(self):
		self.assertRaises(PricingError, quote, [{"service_item": self.ac, "spec": "9P"}])
		self.assertRaises(PricingError, quote, [{"service_item": "NO-SUCH-ITEM"}])
		self.assertRaises(PricingError, quote, [{"service_item": self.ac, "quantity": 1.5}])
		self.assertRaises(PricingError, quote, [{"service_item": self.ac, "quantity": 0}])
		self.assertRaises(PricingError, quote, [{"service_item": self.ac, "quantity": "abc"}])
		self.assertRaises(PricingError, quote, [])

	def test_inactive_item_cannot_be_priced(self):
		item = make_item(is_active=0)
		self.assertRaises(PricingError, quote, [{"service_item": item}])

	def test_per_unit_with_minimum_quantity_and_duration_per_unit(self):
		item = make_item(
			pricing_model="Per Unit", base_price=8.5, min_quantity=30, unit="平方米", duration_minutes=3
		)
		q = quote([{"service_item": item, "quantity": 45.5}])
		self.assertEqual(q.grand_total, Decimal("386.75"))
		self.assertEqual(q.duration_minutes, 137)  # ceil(3 × 45.5)
		self.assertRaises(PricingError, quote, [{"service_item": item, "quantity": 20}])

	def test_quote_after_inspection_charges_the_visit_fee(self):
		item = make_item(pricing_model="Quote After Inspection", visit_fee=30, base_price=0)
		q = quote([{"service_item": item, "quantity": 3}])
		self.assertEqual(q.grand_total, Decimal("30.00"))
		self.assertEqual(q.charges[0].charge_type, "Visit Fee")

	def test_recycling_costs_nothing_and_estimates_the_payout(self):
		item = make_item(
			pricing_model="Recycling", specs=[{"spec_name": "废纸", "price": 1.25}], base_price=0
		)
		q = quote([{"service_item": item, "spec": "废纸", "quantity": 12.5}])
		self.assertEqual(q.grand_total, Decimal("0.00"))
		self.assertEqual(q.payout_estimate, Decimal("15.63"))  # 15.625 rounds half up

	def test_recycling_estimate_states_the_weight_as_written(self):
		item = make_item(pricing_model="Recycling", specs=[{"spec_name": "废纸", "price": 1}], base_price=0)
		for quantity, shown in ((10, "10"), (100, "100"), (12.5, "12.5"), ("2.50", "2.5")):
			with self.subTest(quantity):
				q = quote([{"service_item": item, "spec": "废纸", "quantity": quantity}])
				self.assertIn(f" {shown} kg", q.charges[0].description)
				self.assertNotIn("E+", q.charges[0].description)

	def test_night_surcharge_runs_past_midnight(self):
		rule(
			"Night Surcharge",
			start_time="22:00:00",
			end_time="07:00:00",
			adjustment_type="Percent",
			percent=20,
		)
		cases = {
			"21:59:59": "120.00",
			"22:00:00": "144.00",
			"23:30:00": "144.00",
			"06:59:00": "144.00",
			"07:00:00": "120.00",
		}
		for moment, total in cases.items():
			with self.subTest(moment):
				self.assertEqual(
					quote([{"service_item": self.ac}], at=f"{DAY} {moment}").grand_total, Decimal(total)
				)

	def test_holiday_range_is_inclusive_and_fixed_amounts_apply_once(self):
		rule(
			"Holiday Surcharge",
			from_date="2031-02-01",
			to_date="2031-02-07",
			adjustment_type="Fixed Amount",
			amount=25,
		)
		two = [{"service_item": self.ac, "quantity": 2}]
		self.assertEqual(quote(two, at="2031-02-01 10:00:00").grand_total, Decimal("265.00"))
		self.assertEqual(quote(two, at="2031-02-07 19:00:00").grand_total, Decimal("265.00"))
		self.assertEqual(quote(two, at="2031-02-08 10:00:00").grand_total, Decimal("240.00"))

	def test_a_holiday_rule_made_as_desk_makes_it_covers_whole_days(self):
		# Desk's new form (frappe.new_doc) fills the hidden Start/End Time with "now", microseconds apart
		doc = frappe.new_doc("HS Price Rule")
		self.assertTrue(doc.start_time and doc.end_time)
		doc.update(
			{
				"rule_name": uid("Holiday "),
				"rule_type": "Holiday Surcharge",
				"from_date": "2031-10-01",
				"to_date": "2031-10-07",
				"adjustment_type": "Fixed Amount",
				"amount": 30,
			}
		)
		doc.insert()
		stored = frappe.db.get_value(
			"HS Price Rule", doc.name, ["start_time", "end_time", "from_date", "to_date"], as_dict=True
		)
		self.assertEqual((stored.start_time, stored.end_time), (None, None))
		self.assertEqual((str(stored.from_date), str(stored.to_date)), ("2031-10-01", "2031-10-07"))
		cases = {
			"2031-09-30 23:59:59": "120.00",
			"2031-10-01 00:00:00": "150.00",
			"2031-10-07 23:30:00": "150.00",  # the last evening of the holiday
			"2031-10-07 23:59:59": "150.00",
			"2031-10-08 00:00:00": "120.00",  # the next day
		}
		for moment, total in cases.items():
			with self.subTest(moment):
				self.assertEqual(quote([{"service_item": self.ac}], at=moment).grand_total, Decimal(total))

	def test_a_night_rule_keeps_whole_seconds_and_dated_rules_need_dates(self):
		doc = frappe.new_doc("HS Price Rule")
		doc.update(
			{
				"rule_name": uid("Night "),
				"rule_type": "Night Surcharge",
				"start_time": "22:00:00.212071",
				"end_time": "7:00:00.212121",
				"from_date": "2031-10-01",
				"percent": 10,
			}
		).insert()
		stored = frappe.db.get_value("HS Price Rule", doc.name, ["start_time", "end_time", "from_date"])
		self.assertEqual([str(v) if v is not None else None for v in stored], ["22:00:00", "7:00:00", None])
		self.assertRaises(frappe.ValidationError, rule, "Holiday Surcharge", from_date=DAY, percent=10)

	def test_patch_clears_the_times_older_rules_kept(self):
		from home_service.patches.v0_1 import whole_day_price_rules

		name = rule("Holiday Surcharge", from_date=DAY, to_date=DAY, percent=10)
		frappe.db.set_value(
			"HS Price Rule", name, {"start_time": "10:46:56.212071", "end_time": "10:46:56.212121"}
		)
		whole_day_price_rules.execute()
		self.assertEqual(frappe.db.get_value("HS Price Rule", name, ["start_time", "end_time"]), (None, None))
		self.assertEqual(
			quote([{"service_item": self.ac}], at=f"{DAY} 23:30:00").grand_total, Decimal("132.00")
		)

	def test_percent_rounds_half_up_to_the_fen_and_lines_add_up(self):
		item = make_item(base_price=33.33)
		rule("Peak Surcharge", from_date=DAY, to_date=DAY, adjustment_type="Percent", percent=12.5)
		q = quote([{"service_item": item}])
		# 33.33 × 12.5% = 4.16625 → 4.17 (banker's rounding would give 4.17 too; next case differs)
		self.assertEqual(q.surcharge_total, Decimal("4.17"))
		self.assertEqual(q.grand_total, sum(c.amount for c in q.charges))
		item2 = make_item(base_price=1)
		rule(
			"Peak Surcharge",
			from_date=DAY,
			to_date=DAY,
			adjustment_type="Percent",
			percent=12.5,
			category=frappe.db.get_value("HS Service Item", item2, "category"),
		)
		q2 = quote([{"service_item": item2}])
		self.assertEqual(
			q2.surcharge_total, Decimal("0.26")
		)  # 0.125 + 0.125: half-up per line, not banker's 0.12
		self.assertEqual(q2.grand_total, Decimal("1.26"))

	def test_category_scope_includes_subcategories_only(self):
		parent = make_category(is_group=1)
		child = make_category(parent=parent)
		inside = make_item(base_price=100, category=child)
		outside = make_item(base_price=100)
		rule("Peak Surcharge", from_date=DAY, to_date=DAY, percent=10, category=parent)
		q = quote([{"service_item": inside}, {"service_item": outside}])
		self.assertEqual(q.surcharge_total, Decimal("10.00"))
		self.assertEqual(q.grand_total, Decimal("210.00"))

	def test_area_scoped_rule_only_in_its_area(self):
		area = make_area()
		rule("Peak Surcharge", from_date=DAY, to_date=DAY, percent=50, service_area=area)
		self.assertEqual(quote([{"service_item": self.ac}], service_area=area).grand_total, Decimal("180.00"))
		self.assertEqual(quote([{"service_item": self.ac}], service_area=None).grand_total, Decimal("120.00"))

	def test_distance_fee_counts_whole_started_km_beyond_the_free_distance(self):
		area = make_area()
		rule("Distance Fee", free_distance_km=5, fee_per_km=2)
		near = quote(
			[{"service_item": self.ac}], service_area=area, latitude=CENTRE[0] + 0.03, longitude=CENTRE[1]
		)
		far = quote(
			[{"service_item": self.ac}], service_area=area, latitude=CENTRE[0] + 0.08, longitude=CENTRE[1]
		)
		self.assertEqual(near.grand_total, Decimal("120.00"))  # 3.3 km
		self.assertEqual(far.grand_total, Decimal("128.00"))  # 8.9 km: 4 started km beyond 5 km
		self.assertEqual(far.charges[-1].charge_type, "Distance Fee")

	def test_minimum_charge_tops_up_small_orders(self):
		small = make_item(base_price=19.9)
		rule("Minimum Charge", minimum_amount=50)
		rule("Minimum Charge", minimum_amount=40)
		q = quote([{"service_item": small}])
		self.assertEqual(q.grand_total, Decimal("50.00"))
		self.assertEqual(q.charges[-1].amount, Decimal("30.10"))
		self.assertEqual(quote([{"service_item": small, "quantity": 3}]).grand_total, Decimal("59.70"))

	def test_minimum_charge_ignores_recycling_only_orders(self):
		rule("Minimum Charge", minimum_amount=50)
		item = make_item(pricing_model="Recycling", specs=[{"spec_name": "金属", "price": 2.5}])
		self.assertEqual(quote([{"service_item": item, "quantity": 3}]).grand_total, Decimal("0.00"))

	def test_a_rule_applies_from_the_moment_it_is_saved_until_it_is_switched_off(self):
		item = make_item(base_price=100)
		self.assertEqual(quote([{"service_item": item}]).grand_total, Decimal("100.00"))  # cached now
		name = rule("Peak Surcharge", adjustment_type="Percent", percent=10, from_date=DAY, to_date=DAY)
		self.assertEqual(quote([{"service_item": item}]).grand_total, Decimal("110.00"))
		doc = frappe.get_doc("HS Price Rule", name)
		doc.is_active = 0
		doc.save()
		self.assertEqual(quote([{"service_item": item}]).grand_total, Decimal("100.00"))
		frappe.delete_doc("HS Price Rule", name)
		self.assertEqual(quote([{"service_item": item}]).grand_total, Decimal("100.00"))

	def test_a_rule_rolled_back_is_not_left_in_the_cache(self):
		item = make_item(base_price=100)
		frappe.db.savepoint("rule_in_flight")
		rule("Peak Surcharge", adjustment_type="Percent", percent=10, from_date=DAY, to_date=DAY)
		self.assertEqual(quote([{"service_item": item}]).grand_total, Decimal("110.00"))  # cached with it
		frappe.db.rollback(save_point="rule_in_flight")
		frappe.db.after_rollback.run()  # what a failed request's rollback runs: the rule registered it
		self.assertEqual(quote([{"service_item": item}]).grand_total, Decimal("100.00"))

	def test_inactive_rules_are_ignored(self):
		rule("Peak Surcharge", from_date=DAY, to_date=DAY, percent=50, is_active=0)
		self.assertEqual(quote([{"service_item": self.ac}]).grand_total, Decimal("120.00"))

	def test_breakdown_is_readable_json(self):
		rule("Night Surcharge", start_time="22:00:00", end_time="07:00:00", percent=20)
		data = quote([{"service_item": self.ac}], at=f"{DAY} 23:00:00").as_dict()
		self.assertEqual(data["grand_total"], "144.00")
		self.assertEqual(data["currency"], "CNY")
		self.assertEqual([c["amount"] for c in data["charges"]], ["120.00", "24.00"])
		self.assertTrue(all(c["description"] for c in data["charges"]))

	def test_price_rule_validation(self):
		self.assertRaises(
			frappe.ValidationError, rule, "Peak Surcharge", from_date=DAY, to_date="2031-03-01", percent=10
		)
		self.assertRaises(
			frappe.ValidationError, rule, "Peak Surcharge", from_date=DAY, to_date=DAY, percent=-5
		)
		self.assertRaises(
			frappe.ValidationError,
			rule,
			"Night Surcharge",
			start_time="22:00:00",
			end_time="22:00:00",
			percent=5,
		)
