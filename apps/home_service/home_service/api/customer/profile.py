"""My profile: what the mini-program shows on the "me" page, and the three fields I may change."""

import frappe

from home_service.api.customer.scope import ROLE, current_customer
from home_service.api.registry import endpoint
from home_service.utils.text import clean_choice, clean_file_url, clean_text

TAG = "customer/profile"
GENDERS = ("Male", "Female")
MAX_NAME = 40


@endpoint(roles=ROLE, tag=TAG)
def get_profile() -> dict:
	"""My name, gender, avatar and mobile number."""
	return profile_out(frappe.get_doc("HS Customer", current_customer()))


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def update_profile(
	customer_name: str | None = None, gender: str | None = None, avatar: str | None = None
) -> dict:
	"""Change my display name, gender or avatar; a field left out stays as it is.

	Only these three fields can change here: the mobile number is bound at login and status,
	channel and identity fields are managed by the platform. An empty gender clears it.
	"""
	changes = {}
	if customer_name is not None:
		changes["customer_name"] = clean_text(customer_name, "Name", MAX_NAME, required=True)
	if gender is not None:
		changes["gender"] = clean_choice(gender, "Gender", GENDERS, default="")
	if avatar is not None:
		changes["avatar"] = clean_file_url(avatar, "Avatar") or None
	doc = frappe.get_doc("HS Customer", current_customer(), for_update=True)
	doc.update(changes)
	doc.flags.ignore_permissions = True
	doc.save()
	return profile_out(doc)


def profile_out(doc) -> dict:
	return {
		"customer": doc.name,
		"customer_name": doc.customer_name,
		"gender": doc.gender or None,
		"avatar": doc.avatar or None,
		"mobile_no": doc.mobile_no or None,
		"status": doc.status,
	}
