# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""The guest catalogue: categories, items, item detail and search."""

import random
from unittest.mock import patch

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.api import public
from home_service.tests.factories import make_category, make_item, uid
from home_service.utils.text import InvalidInputError


class TestPublicCatalogue(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.word = uid("测")  # unique, so demo data never matches
		cls.group = make_category(is_group=1)
		cls.child = make_category(parent=cls.group)
		cls.aircon = make_item(category=cls.child, item_name=f"空调清洗{cls.word}", keywords="挂机 柜机 杀菌")
		cls.central = make_item(
			category=cls.child, item_name=f"中央空调清洗（风管机）{cls.word}", keywords="风管机"
		)
		cls.specced = make_item(
			category=cls.group,
			item_name=f"擦玻璃{cls.word}",
			pricing_model="Per Unit",
			specs=[{"spec_name": "普通", "price": 8, "is_default": 1}, {"spec_name": "高层", "price": 12}],
		)
		cls.hidden = make_item(category=cls.child, item_name=f"空调下架{cls.word}", is_active=0)

	def setUp(self):
		frappe.set_user("Guest")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_category_tree_and_items(self):
		tree = public.categories()
		group = next(node for node in tree if node["category"] == self.group)
		self.assertEqual([c["category"] for c in group["children"]], [self.child])
		items = public.category_items(category=self.group)
		self.assertEqual({i["item"] for i in items["items"]}, {self.aircon, self.central, self.specced})
		page = public.category_items(category=self.group, page=2, page_size=2)
		self.assertEqual((page["total"], len(page["items"]), page["has_more"]), (3, 1, False))
		self.assertRaises(frappe.DoesNotExistError, public.category_items, category="' OR 1=1 --")

	def test_lists_sort_by_price_and_rating(self):
		frappe.set_user("Administrator")
		for item, rating, status in (
			(self.central, 5, "Published"),
			(self.central, 4, "Published"),
			(self.aircon, 3, "Published"),
			(self.specced, 5, "Hidden"),  # a hidden review neither rates nor sorts
		):
			review = frappe.new_doc("HS Review")
			review.update({"booking": uid("BK-"), "service_item": item, "rating": rating, "status": status})
			review.name = uid("RV-")
			review.db_insert()
		frappe.set_user("Guest")

		def order(sort=None):
			return [i["item"] for i in public.category_items(category=self.group, sort=sort)["items"]]

		self.assertEqual(order(), [self.specced, self.central, self.aircon])  # the catalogue's order
		self.assertEqual(order("price_asc"), [self.specced, self.central, self.aircon])  # 8, 100, 100
		self.assertEqual(order("price_desc"), [self.central, self.aircon, self.specced])  # ties keep order
		self.assertEqual(order("rating"), [self.central, self.aircon, self.specced])  # 4.5, 3, none
		cards = {i["item"]: i for i in public.category_items(category=self.group, sort="rating")["items"]}
		self.assertEqual(
			[
				(cards[i]["rating"], cards[i]["review_count"])
				for i in (self.central, self.aircon, self.specced)
			],
			[(4.5, 2), (3.0, 1), (None, 0)],
		)
		paged = public.category_items(category=self.group, sort="price_desc", page=2, page_size=2)
		self.assertEqual(([i["item"] for i in paged["items"]], paged["total"]), ([self.specced], 3))
		found = public.search(q=self.word, sort="price_desc")["items"]
		self.assertEqual([i["item"] for i in found][-1], self.specced)
		self.assertEqual(public.search(q=self.word, sort="rating")["items"][0]["item"], self.central)
		for bad in ("price", "1; DROP TABLE", "RATING"):
			self.assertRaises(InvalidInputError, public.category_items, category=self.group, sort=bad)
			self.assertRaises(InvalidInputError, public.search, q=self.word, sort=bad)

	def test_item_detail_with_specs_prices_and_reviews(self):
		detail = public.item_detail(item=self.specced)
		self.assertEqual((detail["price"], detail["price_type"]), ("8.00", "from"))
		self.assertEqual(
			[(s["spec"], s["price"]) for s in detail["specs"]], [("普通", "8.00"), ("高层", "12.00")]
		)
		self.assertEqual(detail["reviews"], {"average": None, "count": 0, "latest": []})
		self.assertRaises(frappe.DoesNotExistError, public.item_detail, item=self.hidden)

	def test_search_ranks_and_matches_fuzzily(self):
		self.assertEqual([i["item"] for i in public.search(q=f"空调清洗{self.word}")["items"]], [self.aircon])
		ranked = [i["item"] for i in public.search(q=f"空调清洗 {self.word}", page_size=50)["items"]]
		self.assertLess(ranked.index(self.aircon), ranked.index(self.central))  # name starts with it
		by_keyword = public.search(q=f"柜机 {self.word}")
		self.assertEqual(by_keyword["items"][0]["item"], self.aircon)
		by_category = public.search(q=self.child)  # "Cat <hash>": both terms match only ours fully
		self.assertEqual({i["item"] for i in by_category["items"][:2]}, {self.aircon, self.central})
		fuzzy = public.search(q=f"洗空调{self.word}")  # no exact substring: character pairs
		self.assertIn(self.aircon, [i["item"] for i in fuzzy["items"]])
		self.assertNotIn(self.hidden, [i["item"] for i in public.search(q=self.word, page_size=50)["items"]])

	def test_search_is_safe_with_hostile_input(self):
		for q in (
			"' OR 1=1 --",
			'" OR ""="',
			"%",
			"_",
			"\\",
			"1; DROP TABLE tabUser",
			"SLEEP(5)",
			"EXTRACTVALUE(1,1)",
		):
			with self.subTest(q=q):
				self.assertEqual(public.search(q=q)["total"], 0)
		for q in ("", "<script>", "x" * 101):
			with self.subTest(q=q):
				self.assertRaises(InvalidInputError, public.search, q=q)

	def test_guest_methods_are_rate_limited_per_client(self):
		ip = f"198.51.100.{random.randint(1, 254)}"
		frappe.local.request = Request(EnvironBuilder(path="/api/method/x", method="GET").get_environ())
		frappe.local.request_ip = ip
		frappe.local.form_dict = frappe._dict(cmd=f"home_service.api.public.categories:{uid()}")
		try:
			with patch.dict(frappe.local.conf, {"hs_public_rate_limit": 2}):
				public.categories()
				public.categories()
				self.assertRaises(frappe.RateLimitExceededError, public.categories)
		finally:
			del frappe.local.request
			frappe.local.form_dict = frappe._dict()
