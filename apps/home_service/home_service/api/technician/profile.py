"""My profile: read it, change the few fields that are mine to change, ask for skill or area changes.

Skills and service areas decide which jobs dispatch offers, so a technician cannot change them directly:
`request_profile_change` records the wished-for lists on the technician's timeline (a Comment) and gives
every operations manager a ToDo; they apply it in Desk. The technician stays dispatchable meanwhile
(the review status is not touched), and only one request is open at a time.
"""

import frappe
from frappe import _
from frappe.utils import escape_html

from home_service.api.registry import endpoint
from home_service.api.technician.onboarding import valid_names
from home_service.api.technician.scope import ROLE, ConflictError, current_technician
from home_service.utils.text import clean_text
from home_service.utils.uploads import IMAGES, owned_upload
from home_service.utils.users import users_with_role

TAG = "technician/profile"
UPDATABLE = ("bio", "avatar")
REVIEWER_ROLE = "HS Operations Manager"


@endpoint(roles=ROLE, tag=TAG)
def get_profile() -> dict:
	"""My profile, skills, service areas and standing."""
	technician = current_technician(approved=False)
	return profile_out(frappe.get_doc("HS Technician", technician.name))


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def update_profile(bio: str | None = None, avatar: str | None = None) -> dict:
	"""Change my introduction and/or avatar (the file_url of an image I uploaded).

	Only these two fields can be changed here; anything else sent is ignored.
	"""
	technician = current_technician(approved=False)
	changes = {}
	if bio is not None:
		changes["bio"] = clean_text(bio, "Introduction", 500, multiline=True)
	if avatar is not None:
		changes["avatar"] = owned_upload(avatar, IMAGES).file_url if avatar else None
	if not changes:
		frappe.throw(_("Send bio or avatar."))
	doc = frappe.get_doc("HS Technician", technician.name, for_update=True)
	doc.update({field: value for field, value in changes.items() if field in UPDATABLE})
	doc.save(ignore_permissions=True)
	return profile_out(doc)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def request_profile_change(skills: list[str], service_areas: list[str], note: str | None = None) -> dict:
	"""Ask the operations team to change my skills and/or service areas to these lists."""
	skills = valid_names("HS Skill", skills, _("skills"), 20)
	areas = valid_names("HS Service Area", service_areas, _("service areas"), 10, {"is_active": 1})
	note = clean_text(note, "Note", 500, multiline=True)
	technician = current_technician(approved=False)
	if technician.review_status == "Suspended":
		frappe.throw(_("Your technician account is suspended."), ConflictError)
	doc = frappe.get_doc("HS Technician", technician.name, for_update=True)
	current_skills = [row.skill for row in doc.skills]
	current_areas = [row.service_area for row in doc.service_areas]
	if set(skills) == set(current_skills) and set(areas) == set(current_areas):
		frappe.throw(_("These are already your skills and service areas."))
	if open_change_request(doc.name):
		frappe.throw(_("You already have a change request waiting for review."), ConflictError)

	description = "<br>".join(
		escape_html(line)
		for line in (
			_("Profile change requested by {0}").format(doc.technician_name),
			_("Skills: {0}").format(diff(current_skills, skills)),
			_("Service areas: {0}").format(diff(current_areas, areas)),
			_("Note: {0}").format(note) if note else "",
		)
		if line
	)
	doc.add_comment("Comment", description)
	reviewers = users_with_role(REVIEWER_ROLE)
	for user in reviewers:
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"role": REVIEWER_ROLE,
				"reference_type": "HS Technician",
				"reference_name": doc.name,
				"description": description,
				"priority": "Medium",
			}
		).insert(ignore_permissions=True)
	return {
		"technician": doc.name,
		"requested": {"skills": skills, "service_areas": areas},
		"status": "Pending",
	}


def open_change_request(technician: str) -> bool:
	return bool(
		frappe.db.exists(
			"ToDo",
			{
				"reference_type": "HS Technician",
				"reference_name": technician,
				"role": REVIEWER_ROLE,
				"status": "Open",
			},
		)
	)


def diff(current: list[str], wanted: list[str]) -> str:
	added = [x for x in wanted if x not in current]
	removed = [x for x in current if x not in wanted]
	parts = [f"+{x}" for x in added] + [f"-{x}" for x in removed]
	return ", ".join(parts) or _("no change")


def profile_out(doc) -> dict:
	areas = {
		row.name: row
		for row in frappe.get_all(
			"HS Service Area",
			filters={"name": ("in", [r.service_area for r in doc.service_areas] or [""])},
			fields=["name", "area_name", "city", "district"],
		)
	}
	offers = doc.offers_received or 0
	return {
		"technician": doc.name,
		"technician_name": doc.technician_name,
		"mobile_no": doc.mobile_no,
		"gender": doc.gender,
		"level": doc.level,
		"avatar": doc.avatar,
		"bio": doc.bio,
		"status": doc.status,
		"review_status": doc.review_status,
		"joined_on": str(doc.joined_on) if doc.joined_on else None,
		"rating": doc.rating,
		"rating_count": doc.rating_count or 0,
		"completed_count": doc.completed_count or 0,
		"acceptance_rate": round((doc.offers_accepted or 0) / offers, 3) if offers else None,
		"skills": [
			{"skill": row.skill, "level": row.level, "years_of_experience": row.years_of_experience}
			for row in doc.skills
		],
		"service_areas": [
			{
				"service_area": row.service_area,
				"area_name": areas.get(row.service_area, {}).get("area_name"),
				"district": areas.get(row.service_area, {}).get("district"),
			}
			for row in doc.service_areas
		],
		"change_request_pending": open_change_request(doc.name),
	}
