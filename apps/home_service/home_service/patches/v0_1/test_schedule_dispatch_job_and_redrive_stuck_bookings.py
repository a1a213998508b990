"""The patch on a site as the bug left it: one `jobs.every_minute` row (billing's) and none for
dispatch, a Broadcast booking whose offers passed their deadline still Pending, and a booking left
Offered with no offer at all."""

import frappe
import frappe.realtime
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from home_service.booking.lifecycle import Status
from home_service.dispatch.engine import OPEN_STATUSES, dispatch_booking
from home_service.dispatch.test_dispatch import expire, offers, rule
from home_service.patches.v0_1 import schedule_dispatch_job_and_redrive_stuck_bookings as patch
from home_service.tests.factories import make_booking, mark_paid
from home_service.tests.scheduling_fixtures import Corner, apply_settings, at, day_after, forget_settings

OLD_METHODS = ("home_service.billing.jobs.every_minute", "home_service.dispatch.jobs.every_minute")
DISPATCH_JOB = "home_service.dispatch.jobs.expire_offers_and_redrive"
BILLING_JOB = "home_service.billing.jobs.follow_up_payments_refunds_transfers"


def reproduce_the_shared_job_row() -> None:
	"""What sync_jobs made of the old hooks: billing's row under the shared name, no dispatch row."""
	frappe.db.delete("Scheduled Job Type", {"method": ("in", [DISPATCH_JOB, BILLING_JOB, *OLD_METHODS])})
	frappe.get_doc(
		{
			"doctype": "Scheduled Job Type",
			"method": OLD_METHODS[0],
			"frequency": "Cron",
			"cron_format": "* * * * *",
		}
	).insert()


def job_rows() -> dict[str, str]:
	return dict(
		frappe.get_all(
			"Scheduled Job Type",
			filters={"method": ("in", [DISPATCH_JOB, BILLING_JOB, *OLD_METHODS])},
			fields=["method", "name"],
			as_list=True,
		)
	)


class TestScheduleDispatchJobAndRedriveStuckBookings(FrappeTestCase):
	def setUp(self):
		frappe.db.savepoint("patch_case")
		frappe.realtime.clear_realtime_log()
		apply_settings()
		# other runs' bookings on a shared site are not this test's (all rolled back afterwards)
		frappe.db.set_value("HS Dispatch Rule", {"enabled": 1}, "enabled", 0)
		frappe.db.set_value("HS Dispatch Offer", {"status": "Pending"}, "status", "Withdrawn")
		frappe.db.set_value("HS Booking", {"status": ("in", OPEN_STATUSES)}, "needs_manual_dispatch", 1)
		self.corner = Corner(radius_km=30)
		self.technicians = [self.corner.technician(lat_offset=0.01 * (i + 1)) for i in range(3)]

	def tearDown(self):
		frappe.db.rollback(save_point="patch_case")
		frappe.realtime.clear_realtime_log()
		forget_settings()

	def paid_booking(self, hour: int):
		doc = make_booking(
			customer=self.corner.customer,
			address=self.corner.address,
			items=self.corner.items(),
			window_start=at(day_after(2), hour),
			with_capacity=False,
		)
		mark_paid(doc)
		doc.transition_to(Status.PENDING_DISPATCH)
		return doc

	def test_the_job_gets_its_row_and_stuck_bookings_move_on(self):
		reproduce_the_shared_job_row()
		self.assertEqual(job_rows(), {OLD_METHODS[0]: "jobs.every_minute"})
		rule(strategy="Broadcast", broadcast_size=2, max_rounds=2, offer_timeout_seconds=20)
		timed_out = self.paid_booking(hour=10)
		dispatch_booking(timed_out.name)
		expire(timed_out.name)  # the deadline passed and no job ever closed the offers
		no_offers = self.paid_booking(hour=14)
		no_offers.transition_to(Status.OFFERED, note="Round 1")
		frappe.db.set_value(
			"HS Booking",
			no_offers.name,
			"modified",
			add_to_date(now_datetime(), minutes=-14),
			update_modified=False,
		)

		patch.execute()

		self.assertEqual(
			job_rows(),
			{
				DISPATCH_JOB: "jobs.expire_offers_and_redrive",
				BILLING_JOB: "jobs.follow_up_payments_refunds_transfers",
			},
		)
		first, second, third = self.technicians  # nearest first: round 1 went to the nearest two
		self.assertEqual(
			{(o.technician, o.status, o.round) for o in offers(timed_out.name)},
			{(first, "Expired", 1), (second, "Expired", 1), (third, "Pending", 2)},
		)
		self.assertEqual(frappe.db.get_value("HS Booking", timed_out.name, "dispatch_round"), 2)
		moved = frappe.db.get_value(
			"HS Booking", no_offers.name, ["status", "dispatch_round", "needs_manual_dispatch"], as_dict=True
		)
		self.assertEqual(
			(moved.status, moved.dispatch_round, moved.needs_manual_dispatch), (Status.OFFERED, 1, 0)
		)
		self.assertTrue(offers(no_offers.name, "Pending"))

		after_one_run = [offers(timed_out.name), offers(no_offers.name)]
		patch.execute()  # idempotent: nothing is due any more
		self.assertEqual([offers(timed_out.name), offers(no_offers.name)], after_one_run)

	def test_the_last_round_goes_to_the_dispatchers(self):
		rule(strategy="Broadcast", broadcast_size=3, max_rounds=1, offer_timeout_seconds=20)
		doc = self.paid_booking(hour=10)
		dispatch_booking(doc.name)
		expire(doc.name)

		patch.execute()

		self.assertEqual({o.status for o in offers(doc.name)}, {"Expired"})
		self.assertEqual(
			frappe.db.get_value("HS Booking", doc.name, ["status", "needs_manual_dispatch"]),
			(Status.PENDING_DISPATCH, 1),
		)
