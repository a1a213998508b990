"""The catalogue for everyone, logged in or not: categories, items, item detail with reviews, search.

Guest methods, GET only, rate-limited per client IP (site config `hs_public_rate_limit`, requests a
minute per method; default 120). Only active categories and items are shown.

Search: the query is cut into terms at spaces (at most 5 terms of 20 characters); an item matches
when a term occurs (SQL LIKE, wildcards escaped, values bound as parameters) in its name, its
keywords, its category or its parent category. Chinese is usually typed without spaces, so when the
whole terms find nothing each term of 3+ Chinese characters is also cut into overlapping pairs
(空调清洗 → 空调, 调清, 清洗) and items matching any pair are ranked by how many pairs they match —
a cheap fuzzy match that survives a missing or swapped character (空调洗 finds 空调清洗).
Ranking: exact name 100, name starts with the term 60, name contains it 40, keywords 25, category
20, per term; each matching pair counts 10/6/5 and each query character found in the name 3;
ties go to the shorter name, then by sort order and name. No full-text index
needed at catalogue sizes (hundreds of items); results are paged.
"""

import re

import frappe
from frappe import _
from frappe.query_builder import Criterion, Order
from frappe.query_builder.functions import Avg, Count
from frappe.utils import cint

from home_service.access.rate_limits import rate_limit
from home_service.api.registry import endpoint, page_args, paged
from home_service.utils.money import money
from home_service.utils.text import clean_choice, clean_name, clean_text, mask_name

TAG = "public"
RATE_WINDOW = 60
MAX_CANDIDATES = 500
SORTS = ("price_asc", "price_desc", "rating")
CJK = re.compile(r"[\u3400-\u9fff]")


def public_limit() -> int:
	"""Calls a minute per client IP and method (site config hs_public_rate_limit)."""
	return cint(frappe.conf.get("hs_public_rate_limit")) or 120


# --- categories ---------------------------------------------------------------------------------
@endpoint(guest=True, tag=TAG)
@rate_limit(limit=public_limit, seconds=RATE_WINDOW)
def categories() -> list[dict]:
	"""The tree of active service categories, in display order."""
	category = frappe.qb.DocType("HS Service Category")
	rows = (
		frappe.qb.from_(category)
		.select(
			category.name,
			category.parent_hs_service_category,
			category.is_group,
			category.icon,
			category.description,
		)
		.where(category.is_active == 1)
		.orderby(category.sort_order)
		.orderby(category.name)
	).run(as_dict=True)
	nodes = {
		row.name: {
			"category": row.name,
			"icon": row.icon or None,
			"description": row.description or None,
			"children": [],
		}
		for row in rows
	}
	tree = []
	for row in rows:
		if not row.parent_hs_service_category:
			tree.append(nodes[row.name])
		elif row.parent_hs_service_category in nodes:
			nodes[row.parent_hs_service_category]["children"].append(nodes[row.name])
		# else: the parent is inactive, and its children are hidden with it
	return tree


@endpoint(guest=True, tag=TAG)
@rate_limit(limit=public_limit, seconds=RATE_WINDOW)
def category_items(category: str, page: int = 1, page_size: int = 20, sort: str | None = None) -> dict:
	"""Active items of a category and of its sub-categories.

	`sort`: price_asc, price_desc or rating (best rated first); none keeps the catalogue's order.
	"""
	category = clean_name(category, "Category")
	sort = clean_choice(sort, "Sort", SORTS)
	bounds = frappe.db.get_value(
		"HS Service Category", {"name": category, "is_active": 1}, ["lft", "rgt"], as_dict=True
	)
	if not bounds:
		frappe.throw(_("Category not found."), frappe.DoesNotExistError)
	start, length = page_args(page, page_size)
	item, cat = frappe.qb.DocType("HS Service Item"), frappe.qb.DocType("HS Service Category")
	query = (
		frappe.qb.from_(item)
		.join(cat)
		.on(cat.name == item.category)
		.where(item.is_active == 1)
		.where(cat.is_active == 1)
		.where(cat.lft >= bounds.lft)
		.where(cat.rgt <= bounds.rgt)
	)
	if sort:  # prices come from specs and ratings from reviews: sorted here (hundreds of items)
		names = sorted_names(
			query.select(item.name).orderby(cat.lft).orderby(item.item_name).run(pluck=True), sort
		)
		return paged(item_cards(names[start : start + length]), len(names), start, length)
	total = query.select(Count(item.name)).run()[0][0]
	names = (
		query.select(item.name)
		.orderby(cat.lft)
		.orderby(item.item_name)
		.limit(length)
		.offset(start)
		.run(pluck=True)
	)
	return paged(item_cards(names), total, start, length)


# --- one item -----------------------------------------------------------------------------------
@endpoint(guest=True, tag=TAG)
@rate_limit(limit=public_limit, seconds=RATE_WINDOW)
def item_detail(item: str) -> dict:
	"""An item with its specifications, prices and a summary of its published reviews."""
	name = clean_name(item, "Service item")
	if not frappe.db.exists("HS Service Item", {"name": name, "is_active": 1}):
		frappe.throw(_("Service item not found."), frappe.DoesNotExistError)
	doc = frappe.get_cached_doc("HS Service Item", name)
	return {
		**item_card(doc),
		"description": doc.description or None,
		"min_quantity": doc.min_quantity,
		"duration_minutes": doc.duration_minutes,
		"specs": [
			{
				"spec": row.spec_name,
				"price": f"{money(row.price):.2f}",
				"duration_minutes": row.duration_minutes or doc.duration_minutes,
				"is_default": bool(row.is_default),
			}
			for row in doc.specs
		],
		"reviews": review_summary(name),
	}


def review_summary(item: str) -> dict:
	review = frappe.qb.DocType("HS Review")
	published = (review.service_item == item) & (review.status == "Published")
	average, count = (
		frappe.qb.from_(review).select(Avg(review.rating), Count(review.name)).where(published)
	).run()[0]
	customer = frappe.qb.DocType("HS Customer")
	latest = (
		frappe.qb.from_(review)
		.left_join(customer)
		.on(customer.name == review.customer)
		.select(review.rating, review.content, review.photos, review.creation, customer.customer_name)
		.where(published)
		.orderby(review.creation, order=Order.desc)
		.limit(3)
	).run(as_dict=True)
	return {
		"average": round(float(average), 1) if count else None,
		"count": count,
		"latest": [
			{
				"rating": row.rating,
				"content": row.content or None,
				# private photos (customer.uploads) are for the reviewer and staff, not for every reader
				"photos": [url for url in (row.photos or "").split() if not url.startswith("/private/")],
				"customer": mask_name(row.customer_name),
				"created_on": str(row.creation),
			}
			for row in latest
		],
	}


# --- search -------------------------------------------------------------------------------------
@endpoint(guest=True, tag=TAG)
@rate_limit(limit=public_limit, seconds=RATE_WINDOW)
def search(q: str, page: int = 1, page_size: int = 20, sort: str | None = None) -> dict:
	"""Active items matching Chinese (or any) keywords, best match first (see the module notes).

	`sort`: price_asc, price_desc or rating (best rated first) instead of the best match.
	"""
	query = clean_text(q, "Search", 100, required=True).lower()
	sort = clean_choice(sort, "Sort", SORTS)
	terms = [t[:20] for t in query.split()][:5]
	start, length = page_args(page, page_size)
	scored = rank(candidates(terms), terms, pairs=False)
	if not scored:
		pairs = sorted({p for term in terms for p in cjk_pairs(term)})
		chars = set(CJK.findall(query))
		scored = rank(candidates(pairs), pairs, pairs=True, chars=chars) if pairs else []
	names = sorted_names([name for name, _score in scored], sort)
	return {**paged(item_cards(names[start : start + length]), len(names), start, length), "q": query}


def like(term: str) -> str:
	escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
	return f"%{escaped}%"


def candidates(terms: list[str]) -> list[dict]:
	if not terms:
		return []
	item = frappe.qb.DocType("HS Service Item")
	cat = frappe.qb.DocType("HS Service Category")
	parent = frappe.qb.DocType("HS Service Category").as_("parent_category")
	matches = []
	for term in terms:
		pattern = like(term)
		matches += [
			item.item_name.like(pattern),
			item.keywords.like(pattern),
			cat.name.like(pattern),
			parent.name.like(pattern),
		]
	return (
		frappe.qb.from_(item)
		.join(cat)
		.on(cat.name == item.category)
		.left_join(parent)
		.on(parent.name == cat.parent_hs_service_category)
		.select(
			item.name,
			item.item_name,
			item.keywords,
			cat.name.as_("category"),
			parent.name.as_("parent_category"),
			cat.sort_order,
		)
		.where(item.is_active == 1)
		.where(cat.is_active == 1)
		.where(Criterion.any(matches))
		.limit(MAX_CANDIDATES)
	).run(as_dict=True)


def rank(
	rows: list[dict], terms: list[str], pairs: bool, chars: set[str] | None = None
) -> list[tuple[str, int]]:
	weights = (10, 10, 10, 6, 5) if pairs else (100, 60, 40, 25, 20)
	scored = []
	for row in rows:
		name = (row.item_name or "").lower()
		keywords = (row.keywords or "").lower()
		categories = f"{row.category or ''} {row.parent_category or ''}".lower()
		score = 0
		for term in terms:
			if name == term:
				score += weights[0]
			elif name.startswith(term):
				score += weights[1]
			elif term in name:
				score += weights[2]
			if term in keywords:
				score += weights[3]
			if term in categories:
				score += weights[4]
		if score and chars:
			score += 3 * sum(1 for c in chars if c in name)  # 空调洗: 空调清洗 has all three
		if score:
			scored.append((row.name, score, len(name), cint(row.sort_order), row.item_name))
	scored.sort(key=lambda r: (-r[1], r[2], r[3], r[4]))  # then the shorter, closer name
	return [(row[0], row[1]) for row in scored]


def cjk_pairs(term: str) -> list[str]:
	chars = [c for c in term if CJK.match(c)]
	if len(chars) < 3:
		return []
	return ["".join(chars[i : i + 2]) for i in range(len(chars) - 1)]


# --- sorting ------------------------------------------------------------------------------------
def sorted_names(names: list[str], sort: str | None) -> list[str]:
	"""`names` in the order `sort` asks for; equal keys keep their order (Python's sort is stable)."""
	if not sort:
		return names
	if sort == "rating":
		stars = ratings(names)
		return sorted(names, key=lambda n: (-(stars[n]["rating"] or 0), -stars[n]["review_count"]))
	prices = {name: item_card(frappe.get_cached_doc("HS Service Item", name))["price"] for name in names}
	return sorted(names, key=lambda n: float(prices[n]), reverse=sort == "price_desc")


def ratings(names: list[str]) -> dict[str, dict]:
	"""Average published rating (None without reviews) and review count of each item, one query."""
	found = {}
	if names:
		review = frappe.qb.DocType("HS Review")
		found = {
			row[0]: (row[1], row[2])
			for row in (
				frappe.qb.from_(review)
				.select(review.service_item, Avg(review.rating), Count(review.name))
				.where(review.service_item.isin(names) & (review.status == "Published"))
				.groupby(review.service_item)
			).run()
		}
	return {
		name: {
			"rating": round(float(found[name][0]), 1) if name in found else None,
			"review_count": found[name][1] if name in found else 0,
		}
		for name in names
	}


# --- cards --------------------------------------------------------------------------------------
def item_cards(names: list[str]) -> list[dict]:
	"""Cards of a list page, with each item's rating (the sort a customer picks shows its reason)."""
	stars = ratings(names)
	return [{**item_card(frappe.get_cached_doc("HS Service Item", name)), **stars[name]} for name in names]


def item_card(doc) -> dict:
	"""What a list shows for an item: the price a customer starts from, per unit."""
	if doc.pricing_model == "Quote After Inspection":
		price, label = doc.visit_fee, "visit_fee"
	else:
		prices = [row.price for row in doc.specs] or [doc.base_price]
		price, label = min(money(p) for p in prices), "payout" if doc.pricing_model == "Recycling" else "from"
	return {
		"item": doc.name,
		"item_name": doc.item_name,
		"category": doc.category,
		"image": doc.image or None,
		"pricing_model": doc.pricing_model,
		"price": f"{money(price):.2f}",
		"price_type": label,
		"unit": doc.unit or None,
		"currency": "CNY",
	}
