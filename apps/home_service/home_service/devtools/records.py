"""Synthetic records for developer tools and tests: every record gets a unique name, so runs never
depend on each other or on the demo data. Production code: `bench hs-pay-flow` (devtools/pay_flow.py)
and the webhook benchmark (benchmarks/notify_setup.py) make their bookings with these; the test
factories (home_service/tests/factories.py) build on them.
"""

import random

import frappe
from frappe.utils import add_days, now_datetime

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


def payable_booking(**kw):
	"""An unpaid booking whose customer has logged in with both WeChat and Alipay."""
	customer = make_customer(wechat_openid="o" + uid(), alipay_user_id="2088" + uid())
	return make_booking(customer=customer, **kw)


def ledger_rows(booking: str) -> list:
	"""A booking's ledger lines, in posting order."""
	return frappe.get_all(
		"HS Ledger Entry",
		filters={"booking": booking},
		fields=["posting_key", "account", "amount_fen", "party"],
		order_by="posting_key, line_no",
	)
