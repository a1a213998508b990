"""Test factories: every record gets a unique name so tests never depend on each other or on demo data."""

import random
from collections import deque

import frappe
from frappe.utils import add_days, now_datetime

from home_service.booking.lifecycle import NEEDS_TECHNICIAN, TRANSITIONS, Status, entering_unpaid

CENTRE = (31.2304, 121.4737)  # People's Square, Shanghai


def uid(prefix: str = "") -> str:
	return f"{prefix}{frappe.generate_hash(length=8)}"


def mobile(prefix: str) -> str:
	return prefix + str(random.randrange(10**8)).zfill(8)


def make_user(roles: list[str] | tuple[str, ...] = (), user_type: str = "System User") -> str:
	email = f"{uid('u')}@test.home"
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": email.split("@")[0],
			"user_type": user_type,
			"send_welcome_email": 0,
		}
	).insert(ignore_permissions=True)
	if roles:
		user.add_roles(*roles)
	return email


def make_area(lat: float = CENTRE[0], lng: float = CENTRE[1], radius_km: float = 15, **kw) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "HS Service Area",
				"area_name": uid("Area "),
				"city": "上海市",
				"district": "测试区",
				"center_latitude": lat,
				"center_longitude": lng,
				"radius_km": radius_km,
				**kw,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_category(parent: str | None = None, is_group: int = 0) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "HS Service Category",
				"category_name": uid("Cat "),
				"parent_hs_service_category": parent,
				"is_group": is_group,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def make_skill() -> str:
	return (
		frappe.get_doc({"doctype": "HS Skill", "skill_name": uid("Skill ")})
		.insert(ignore_permissions=True)
		.name
	)


def make_item(pricing_model: str = "Fixed", specs=None, category: str | None = None, **kw) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "HS Service Item",
			"item_code": uid("IT-"),
			"item_name": uid("测试服务 "),
			"category": category or make_category(),
			"pricing_model": pricing_model,
			"duration_minutes": kw.pop("duration_minutes", 60),
			"base_price": kw.pop("base_price", 100),
			**kw,
		}
	)
	for row in specs or []:
		doc.append("specs", row)
	return doc.insert(ignore_permissions=True).name


def make_customer(with_user: bool = False, **kw) -> str:
	doc = frappe.get_doc(
		{"doctype": "HS Customer", "customer_name": uid("顾客 "), "mobile_no": mobile("139"), **kw}
	)
	if with_user:
		doc.user = make_user(user_type="Website User")
	return doc.insert(ignore_permissions=True).name


def make_address(customer: str, lat: float = CENTRE[0], lng: float = CENTRE[1], **kw) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "HS Customer Address",
				"customer": customer,
				"contact_name": "张三",
				"contact_phone": "13800138000",
				"city": "上海市",
				"district": "黄浦区",
				"detail_address": uid("人民大道 "),
				"latitude": lat,
				"longitude": lng,
				**kw,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


ALWAYS = [
	{"weekday": day, "start_time": "00:00:00", "end_time": "23:59:59"}
	for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]


def make_technician(skills=(), areas=(), with_user: bool = False, hours=ALWAYS, **kw) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "HS Technician",
			"technician_name": uid("师傅 "),
			"mobile_no": mobile("137"),
			"review_status": kw.pop("review_status", "Approved"),
			**kw,
		}
	)
	for skill in skills:
		doc.append("skills", {"skill": skill, "level": "Senior"})
	for area in areas:
		doc.append("service_areas", {"service_area": area})
	for row in hours or ():
		doc.append("working_hours", row)
	if with_user:
		doc.user = make_user(user_type="Website User")
	return doc.insert(ignore_permissions=True).name


def make_booking(customer: str | None = None, item: str | None = None, window_start=None, **kw):
	"""An unpaid booking; unless told otherwise a fresh technician covers it, so capacity exists.
	`flags` are set on the document before it is inserted."""
	flags = kw.pop("flags", None) or {}
	customer = customer or make_customer()
	address = kw.pop("address", None) or make_address(customer)
	items = kw.pop("items", None) or [{"service_item": item or make_item(), "quantity": 1}]
	if kw.pop("with_capacity", True):
		make_capacity(address, items)
	doc = frappe.get_doc(
		{
			"doctype": "HS Booking",
			"customer": customer,
			"address": address,
			"window_start": window_start or tomorrow_at(10),
			"items": items,
			**kw,
		}
	)
	doc.flags.update(flags)
	return doc.insert(ignore_permissions=True)


def make_capacity(address: str, items: list[dict]) -> str:
	"""A fresh technician with the items' skills, working (always) in the address's service area and
	living at the address (within any dispatch rule's search radius)."""
	area, lat, lng = frappe.db.get_value(
		"HS Customer Address", address, ["service_area", "latitude", "longitude"]
	)
	skills = {frappe.db.get_value("HS Service Item", row["service_item"], "required_skill") for row in items}
	return make_technician(
		skills=[s for s in skills if s],
		areas=[area or make_area_for(address)],
		home_latitude=lat,
		home_longitude=lng,
	)


def tomorrow_at(hour: int, days: int = 1):
	return add_days(now_datetime(), days).replace(hour=hour, minute=0, second=0, microsecond=0)


def make_area_for(address: str) -> str:
	"""A small area around an address that no area covered yet (then the address is re-saved)."""
	lat, lng = frappe.db.get_value("HS Customer Address", address, ["latitude", "longitude"])
	area = make_area(lat=lat, lng=lng, radius_km=1)
	frappe.get_doc("HS Customer Address", address).save(ignore_permissions=True)
	return area


def mark_paid(doc) -> None:
	doc.payment_status = "Paid"
	doc.paid_amount = doc.grand_total
	doc.paid_on = now_datetime()
	doc.flags.hs_trusted = True


def path_to(start: str, target: str) -> list[str]:
	"""Shortest sequence of statuses from `start` to `target` through the transition map."""
	queue, seen = deque([[start]]), {start}
	while queue:
		path = queue.popleft()
		if path[-1] == target:
			return path[1:]
		for nxt in sorted(TRANSITIONS[path[-1]]):
			if nxt not in seen:
				seen.add(nxt)
				queue.append([*path, nxt])
	raise ValueError(f"{target} is unreachable from {start}")


def advance(doc, target: str, technician: str | None = None):
	"""Walk a booking to `target` the way the services would: paying and assigning on the way."""
	for status in path_to(doc.status, target):
		if entering_unpaid(doc, doc.status, status):  # e.g. Pending Payment -> Exception -> Assigned
			mark_paid(doc)
		if status in NEEDS_TECHNICIAN and not doc.technician:
			doc.technician = technician or doc.held_technician or make_technician(areas=[doc.service_area])
		if status == Status.REFUNDED and not doc.paid_amount:
			mark_paid(doc)
		doc.transition_to(status)
	return doc


def deactivate_price_rules() -> None:
	"""Switch every price rule off in this test's transaction (rolled back with it), the cached rules too."""
	from home_service.catalog.pricing import forget_price_rules

	frappe.db.set_value("HS Price Rule", {"is_active": 1}, "is_active", 0)
	forget_price_rules()
	frappe.db.after_rollback.add(forget_price_rules)
