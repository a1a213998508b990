"""My jobs: lists by status group, the job card, and each step on site.

    Assigned --depart--> On The Way --arrive--> Arrived --start--> In Service --complete--> Awaiting Confirmation
    (any of these) --report_exception--> Exception

Every step locks the booking, checks it is assigned to me (otherwise 404, whether it exists or not) and
changes the status only through `HSBooking.take_step`, so the site's Workflow, the lifecycle map, the
invariants and the timeline (HS Booking Event, with my position when I send it) hold. A step follows
the Workflow's transitions (booking/workflow.py): `complete` may stop in a state an administrator added
before Awaiting Confirmation (e.g. 质检, passed by staff in Desk), and a step the Workflow does not allow
from the job's state is refused (409). Repeating a step already done (a double tap) returns the job as
it is.
"""

from decimal import Decimal, InvalidOperation

import frappe
from frappe import _
from frappe.utils import cint

from home_service.api.registry import endpoint, page_args, paged
from home_service.api.technician.availability import refresh_status, set_status, store_location
from home_service.api.technician.scope import (
	ROLE,
	amount,
	current_technician,
	mask_phone,
	own_booking,
	point,
)
from home_service.api.technician.shapes import summaries
from home_service.billing.recycling import is_recycling_booking
from home_service.booking import extras, workflow
from home_service.booking.lifecycle import CLOSED, InvalidTransitionError, Status
from home_service.utils.geo import haversine_km
from home_service.utils.text import clean_text
from home_service.utils.uploads import IMAGES, owned_upload, save_private_file, uploaded_content

TAG = "technician/jobs"
S = Status
GROUPS = {
	"active": (S.ASSIGNED, S.ON_THE_WAY, S.ARRIVED, S.IN_SERVICE),
	"awaiting": (S.AWAITING_CONFIRMATION, S.EXCEPTION),
	"history": (S.COMPLETED, S.CANCELLED, S.REFUNDED),
}
GROUPS["all"] = GROUPS["active"] + GROUPS["awaiting"] + GROUPS["history"]
# the statuses a technician may move a job from, per step
STEP_FROM = {
	S.ON_THE_WAY: (S.ASSIGNED,),
	S.ARRIVED: (S.ON_THE_WAY,),
	S.IN_SERVICE: (S.ARRIVED,),
	S.AWAITING_CONFIRMATION: (S.IN_SERVICE,),
	S.EXCEPTION: (S.ASSIGNED, S.ON_THE_WAY, S.ARRIVED, S.IN_SERVICE, S.AWAITING_CONFIRMATION),
}
NEXT_ACTIONS = {
	S.ASSIGNED: ["depart", "report_exception"],
	S.ON_THE_WAY: ["arrive", "report_exception"],
	S.ARRIVED: ["start_service", "propose_extra_charges", "report_exception"],
	S.IN_SERVICE: ["propose_extra_charges", "complete", "report_exception"],
	S.AWAITING_CONFIRMATION: ["report_exception"],
}
# the app's actions that are steps of the lifecycle, and their target
STEP_OF = {
	"depart": S.ON_THE_WAY,
	"arrive": S.ARRIVED,
	"start_service": S.IN_SERVICE,
	"complete": S.AWAITING_CONFIRMATION,
	"report_exception": S.EXCEPTION,
}
PHOTO_STAGES = ("Before", "During", "After")
PHOTO_UPLOAD_STATUSES = (S.ON_THE_WAY, S.ARRIVED, S.IN_SERVICE)
MAX_PHOTOS, MAX_EXTRA_LINES = 20, 10


class CheckInTooFarError(frappe.ValidationError):
	"""422 CHECK_IN_TOO_FAR: the technician is not at the customer's address."""


# --- reading ------------------------------------------------------------------------------------
@endpoint(roles=ROLE, tag=TAG)
def list_jobs(group: str = "active", page: int = 1, page_size: int = 20) -> dict:
	"""My jobs in one group: active, awaiting (confirmation or exception), history, or all."""
	technician = current_technician(approved=False)
	if group not in GROUPS:
		frappe.throw(_("group must be one of {0}.").format(", ".join(GROUPS)))
	start, length = page_args(page, page_size)
	filters = {"technician": technician.name, "status": ("in", GROUPS[group])}
	names = frappe.get_list(
		"HS Booking",
		filters=filters,
		pluck="name",
		order_by="window_start asc" if group == "active" else "window_start desc",
		limit_start=start,
		limit_page_length=length,
	)
	total = frappe.db.count("HS Booking", filters)
	shaped = summaries(names, technician)
	return paged([shaped[name] for name in names if name in shaped], total, start, length)


@endpoint(roles=ROLE, tag=TAG)
def job_detail(booking: str) -> dict:
	"""The job card: items, window, customer contact and address, charges, photos, timeline."""
	technician = current_technician(approved=False)
	return job_out(own_booking(booking, technician.name), technician)


# --- steps --------------------------------------------------------------------------------------
@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def depart(booking: str, latitude: float | None = None, longitude: float | None = None) -> dict:
	"""On my way to the customer (Assigned → On The Way); I am Busy from now on."""
	technician = current_technician()
	where = point(latitude, longitude, required=False)
	doc = step(booking, technician, S.ON_THE_WAY, where)
	set_status(technician.name, "Busy")
	return job_out(doc, technician)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def arrive(booking: str, latitude: float, longitude: float) -> dict:
	"""Check in at the customer's address (On The Way → Arrived).

	Refused with 422 CHECK_IN_TOO_FAR when I am farther than HS Settings.checkin_radius_m from the
	booking's position; the position is stored on the timeline event.
	"""
	technician = current_technician()
	where = point(latitude, longitude)
	doc = step(booking, technician, S.ARRIVED, where, check=check_in_distance)
	return job_out(doc, technician)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def start_service(booking: str, latitude: float | None = None, longitude: float | None = None) -> dict:
	"""Start the work (Arrived → In Service)."""
	technician = current_technician()
	doc = step(booking, technician, S.IN_SERVICE, point(latitude, longitude, required=False))
	return job_out(doc, technician)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def propose_extra_charges(booking: str, lines: list[dict]) -> dict:
	"""Propose extra charges on site: [{description, amount, photo?}]; the customer decides each one."""
	cleaned = valid_extra_lines(lines, booking)
	technician = current_technician()
	lock_technician(technician.name)
	doc = own_booking(booking, technician.name, for_update=True)
	extras.propose(doc, cleaned)
	return job_out(doc, technician)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def upload_photo(booking: str) -> dict:
	"""Upload one job photo (multipart field `file`, JPEG/PNG/WebP up to 5 MB, stored privately).

	Send the returned file_url with `complete` (or `report_exception`).
	"""
	technician = current_technician()
	doc = own_booking(booking, technician.name)
	if doc.status not in PHOTO_UPLOAD_STATUSES:
		frappe.throw(_("Photos can be added only while the job is under way."), InvalidTransitionError)
	file = save_private_file(uploaded_content(), IMAGES, "HS Booking", doc.name, prefix=doc.name)
	return {"booking": doc.name, "file_url": file.file_url}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def complete(booking: str, photos: list[dict], notes: str | None = None) -> dict:
	"""Finish the work (In Service → Awaiting Confirmation) with photos and notes.

	`photos` is [{file_url, stage: Before | During | After, caption?}] of files I uploaded; at least one
	After photo is required. The customer then confirms.
	"""
	rows = valid_photos(photos, booking)
	if not any(row["stage"] == "After" for row in rows):
		frappe.throw(_("Add at least one photo of the finished work."))
	notes = clean_text(notes, "Notes", 1000, multiline=True)
	technician = current_technician()
	doc = step(booking, technician, S.AWAITING_CONFIRMATION, None, note=notes, photos=rows)
	refresh_status(technician.name)
	return job_out(doc, technician)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def report_exception(
	booking: str,
	reason: str,
	photos: list[str] | None = None,
	latitude: float | None = None,
	longitude: float | None = None,
) -> dict:
	"""Something prevents the job (customer absent, wrong address, unsafe site…): Exception with a reason."""
	reason = clean_text(reason, "Reason", 500, required=True, multiline=True)
	photos = [{"file_url": url, "stage": "Exception"} for url in photos or []]
	rows = valid_photos(photos, booking, ("Exception",))
	where = point(latitude, longitude, required=False)
	technician = current_technician(approved=False)
	doc = step(booking, technician, S.EXCEPTION, where, note=reason, photos=rows, exception_reason=reason)
	refresh_status(technician.name)
	return job_out(doc, technician)


def step(
	booking: str,
	technician,
	to_status: str,
	where: tuple | None,
	note: str | None = None,
	photos: list[dict] | None = None,
	check=None,
	exception_reason: str | None = None,
):
	"""Move my booking towards `to_status` under its row lock; a repeat of the same step changes nothing."""
	lock_technician(technician.name)  # the house lock order: technician row first, then the booking
	doc = own_booking(booking, technician.name, for_update=True)
	if workflow.already_taken(doc, to_status):
		return doc
	if doc.status not in STEP_FROM[to_status]:
		frappe.throw(
			_("This job is {0} and cannot be moved to {1}.").format(
				_(doc.workflow_state or doc.status), _(to_status)
			),
			InvalidTransitionError,
			title=_("Status change not allowed"),
		)
	if check:
		check(doc, where)
	for row in photos or []:
		doc.append("photos", {**row, "taken_by": frappe.session.user})
	if exception_reason:
		doc.exception_reason = exception_reason
	lat, lng = where or (None, None)
	doc.take_step(to_status, note=note, actor_role="HS Technician", latitude=lat, longitude=lng)
	if where:
		store_location(technician.name, lat, lng)
	return doc


def lock_technician(technician: str) -> None:
	frappe.db.sql("select name from `tabHS Technician` where name = %s for update", technician)


def check_in_distance(doc, where: tuple) -> None:
	if not doc.latitude or not doc.longitude:
		return  # nothing to compare with: the timeline keeps the position for staff to judge
	radius = cint(frappe.db.get_single_value("HS Settings", "checkin_radius_m")) or 500
	meters = haversine_km(where[0], where[1], doc.latitude, doc.longitude) * 1000
	if meters > radius:
		frappe.throw(
			_("You are {0} m from the customer's address; check in within {1} m of it.").format(
				int(meters), radius
			),
			CheckInTooFarError,
			title=_("Too far to check in"),
		)


# --- validation -------------------------------------------------------------------------------------
def valid_extra_lines(lines: list[dict], booking: str) -> list[dict]:
	if not lines or len(lines) > MAX_EXTRA_LINES:
		frappe.throw(_("Propose between 1 and {0} extra charges.").format(MAX_EXTRA_LINES))
	cleaned = []
	for line in lines:
		if not isinstance(line, dict):
			frappe.throw(_("Each extra charge must be an object."))
		photo = line.get("photo")
		cleaned.append(
			{
				"description": clean_text(line.get("description"), "Description", 140, required=True),
				"amount": valid_amount(line.get("amount")),
				"photo": job_photo(photo, booking) if photo else None,
			}
		)
	return cleaned


def job_photo(file_url, booking: str) -> str:
	"""The URL of an image I uploaded for this booking (or for nothing yet), never another booking's."""
	return owned_upload(file_url, IMAGES, for_document=("HS Booking", booking)).file_url


def valid_amount(value) -> Decimal:
	if isinstance(value, bool) or not isinstance(value, int | float | str):
		frappe.throw(_("Each extra charge needs an amount in yuan."))
	try:
		number = Decimal(str(value).strip())
	except InvalidOperation:
		number = None
	if number is None or not number.is_finite() or number.as_tuple().exponent < -2:
		frappe.throw(_("Amounts are in yuan with at most two decimals."))
	return number


def valid_photos(photos: list[dict], booking: str, stages: tuple[str, ...] = PHOTO_STAGES) -> list[dict]:
	if len(photos or []) > MAX_PHOTOS:
		frappe.throw(_("At most {0} photos.").format(MAX_PHOTOS))
	rows, seen = [], set()
	for photo in photos or []:
		if not isinstance(photo, dict):
			frappe.throw(_("Each photo must be an object with file_url and stage."))
		stage = photo.get("stage") or "After"
		if stage not in stages:
			frappe.throw(_("Photo stage must be one of {0}.").format(", ".join(stages)))
		url = job_photo(photo.get("file_url"), booking)
		if url in seen:
			continue
		seen.add(url)
		rows.append(
			{"image": url, "stage": stage, "caption": clean_text(photo.get("caption"), "Caption", 60)}
		)
	return rows


# --- shape -------------------------------------------------------------------------------------------
def job_out(doc, technician) -> dict:
	"""The job card. Contact and street address are shown while the job is mine and open."""
	summary = summaries([doc.name], technician)[doc.name]
	is_open = doc.status not in CLOSED
	events = frappe.get_all(
		"HS Booking Event",
		filters={"booking": doc.name, "event_type": ("in", ("Created", "Status Change"))},
		fields=["to_status", "to_state", "timestamp", "note", "actor_role"],
		order_by="timestamp asc, creation asc",
		limit=50,
	)
	return {
		**summary,
		"status": doc.status,
		"customer_note": doc.customer_note if is_open else None,
		"contact": {
			"name": doc.contact_name,
			"phone": doc.contact_phone if is_open else mask_phone(doc.contact_phone),
		},
		"address": {
			"display": doc.address_display if is_open else None,
			"latitude": doc.latitude if is_open else None,
			"longitude": doc.longitude if is_open else None,
		},
		"extra_charges": [
			{
				"name": row.name,
				"description": row.description,
				"amount": amount(row.amount),
				"status": row.status,
			}
			for row in doc.extra_charges
		],
		"photos": [{"file_url": row.image, "stage": row.stage, "caption": row.caption} for row in doc.photos],
		"timeline": [
			{
				"status": e.to_status,
				**workflow.shown_state(e.to_state, e.to_status),
				"at": str(e.timestamp),
				"by": e.actor_role,
				"note": e.note if e.actor_role == "HS Technician" else None,
			}
			for e in events
		],
		"next_actions": next_actions(doc),
		# a recycling pickup is weighed on site (recycling.record_recycling) instead of completed
		"is_recycling": is_recycling_booking(doc),
	}


def next_actions(doc) -> list[str]:
	"""What the app offers now: the steps the site's Workflow allows from the job's state."""
	return [
		action
		for action in NEXT_ACTIONS.get(doc.status, [])
		if action not in STEP_OF or workflow.can_step(doc, STEP_OF[action])
	]
