"""My service addresses. A booking keeps a snapshot of its address, so any address can be edited or
deleted at any time; past and upcoming bookings are not affected."""

import frappe
from frappe import _

from home_service.api.customer.scope import ROLE, current_customer, own_address
from home_service.api.registry import endpoint, page_args, paged
from home_service.utils.text import clean_choice, clean_phone, clean_text

TAG = "customer/addresses"
TAGS = ("Home", "Company", "Parents", "Other")
MAX_ADDRESSES = 20
# what the client may set; customer, service_area and address_display are the server's
LIMITS = {"contact_name": 40, "province": 40, "city": 40, "district": 40, "detail_address": 200}
OUT_FIELDS = (
	"name",
	"contact_name",
	"contact_phone",
	"tag",
	"is_default",
	"province",
	"city",
	"district",
	"detail_address",
	"address_display",
	"latitude",
	"longitude",
	"service_area",
)


@endpoint(roles=ROLE, tag=TAG)
def list_addresses(page: int = 1, page_size: int = 20) -> dict:
	"""My addresses, the default one first."""
	customer = current_customer()
	start, length = page_args(page, page_size)
	rows = frappe.get_list(
		"HS Customer Address",
		filters={"customer": customer},
		fields=list(OUT_FIELDS),
		order_by="is_default desc, creation desc",
		limit_start=start,
		limit_page_length=length,
	)
	total = frappe.db.count("HS Customer Address", {"customer": customer})
	return paged([address_out(row) for row in rows], total, start, length)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def add_address(
	contact_name: str,
	contact_phone: str,
	city: str,
	detail_address: str,
	province: str | None = None,
	district: str | None = None,
	tag: str | None = None,
	latitude: float | None = None,
	longitude: float | None = None,
	is_default: bool = False,
) -> dict:
	"""Add an address; the first one becomes the default. The service area is found from the
	coordinates (an address outside every area can be saved but not booked)."""
	fields = clean_fields(
		contact_name=contact_name,
		contact_phone=contact_phone,
		city=city,
		detail_address=detail_address,
		province=province,
		district=district,
		tag=tag,
		latitude=latitude,
		longitude=longitude,
		is_default=is_default,
		new=True,
	)
	customer = current_customer()
	# the customer row is the lock: two concurrent adds cannot both pass the limit
	frappe.db.get_value("HS Customer", customer, "name", for_update=True)
	if frappe.db.count("HS Customer Address", {"customer": customer}) >= MAX_ADDRESSES:
		frappe.throw(_("You can keep at most {0} addresses.").format(MAX_ADDRESSES))
	doc = frappe.new_doc("HS Customer Address")
	doc.customer = customer
	doc.update(fields)
	doc.insert(ignore_permissions=True)
	return address_out(doc)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def edit_address(
	address: str,
	contact_name: str | None = None,
	contact_phone: str | None = None,
	city: str | None = None,
	detail_address: str | None = None,
	province: str | None = None,
	district: str | None = None,
	tag: str | None = None,
	latitude: float | None = None,
	longitude: float | None = None,
	is_default: bool | None = None,
) -> dict:
	"""Change some fields of my address; a field left out stays as it is."""
	fields = clean_fields(
		contact_name=contact_name,
		contact_phone=contact_phone,
		city=city,
		detail_address=detail_address,
		province=province,
		district=district,
		tag=tag,
		latitude=latitude,
		longitude=longitude,
		is_default=is_default,
	)
	doc = own_address(address, current_customer(), for_update=True)
	doc.update(fields)
	doc.save(ignore_permissions=True)
	return address_out(doc)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def delete_address(address: str) -> dict:
	"""Delete my address (bookings made at it keep their own copy of it)."""
	doc = own_address(address, current_customer(), for_update=True)
	frappe.delete_doc("HS Customer Address", doc.name, ignore_permissions=True)
	return {"address": doc.name, "deleted": True}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def set_default_address(address: str) -> dict:
	"""Make this address my default one."""
	doc = own_address(address, current_customer(), for_update=True)
	doc.is_default = 1
	doc.save(ignore_permissions=True)
	return address_out(doc)


def clean_fields(new: bool = False, **values) -> dict:
	"""The validated fields to set (before any address is read); None means "unchanged" (for a new
	address: "not given")."""
	fields = {}
	for field, limit in LIMITS.items():
		if values.get(field) is not None or (new and field in ("contact_name", "city", "detail_address")):
			label = frappe.unscrub(field)
			required = field in ("contact_name", "city", "detail_address")
			fields[field] = clean_text(values.get(field), label, limit, required=required)
	if values.get("contact_phone") is not None or new:
		fields["contact_phone"] = clean_phone(values.get("contact_phone"), "Contact Phone", required=True)
	if values.get("tag") is not None or new:
		fields["tag"] = clean_choice(values.get("tag"), "Tag", TAGS, default="Home")
	latitude, longitude = values.get("latitude"), values.get("longitude")
	if (latitude is None) != (longitude is None):
		frappe.throw(_("Send latitude and longitude together."))
	if latitude is not None:
		if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
			frappe.throw(_("The coordinates are not valid."))
		fields["latitude"], fields["longitude"] = latitude, longitude
	if values.get("is_default"):
		fields["is_default"] = 1  # there is always one default: choosing another one unsets this
	return fields


def address_out(row) -> dict:
	return {
		"address": row.name,
		"contact_name": row.contact_name,
		"contact_phone": row.contact_phone,
		"tag": row.tag,
		"is_default": bool(row.is_default),
		"province": row.province or None,
		"city": row.city,
		"district": row.district or None,
		"detail_address": row.detail_address,
		"address_display": row.address_display,
		"latitude": row.latitude,
		"longitude": row.longitude,
		"serviceable": bool(row.service_area),
	}
