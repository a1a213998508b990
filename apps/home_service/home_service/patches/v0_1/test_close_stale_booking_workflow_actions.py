import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.patches.v0_1 import close_stale_booking_workflow_actions as patch
from home_service.tests.factories import advance, make_booking


def open_action(booking: str, state: str) -> str:
	doc = frappe.get_doc(
		{
			"doctype": "Workflow Action",
			"reference_doctype": "HS Booking",
			"reference_name": booking,
			"workflow_state": state,
			"status": "Open",
			"permitted_roles": [{"role": "HS Dispatcher"}],
		}
	).insert(ignore_permissions=True)
	return doc.name


class TestCloseStaleBookingWorkflowActions(FrappeTestCase):
	def test_only_the_current_expected_step_stays_open(self):
		assigned = advance(make_booking(), Status.ASSIGNED)
		unpaid = make_booking()
		left_behind = open_action(assigned.name, "Pending Dispatch")
		current = frappe.db.get_value(
			"Workflow Action",
			{"reference_name": assigned.name, "status": "Open", "workflow_state": "Assigned"},
		)
		waiting_for_the_customer = open_action(unpaid.name, "Pending Payment")

		patch.execute()

		def status(name):
			return frappe.db.get_value("Workflow Action", name, "status")

		self.assertEqual(status(left_behind), "Completed")
		self.assertEqual(status(waiting_for_the_customer), "Completed")
		self.assertEqual(status(current), "Open")
