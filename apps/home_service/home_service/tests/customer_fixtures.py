"""A logged-in customer in an isolated corner of the map, for the customer API tests."""

from contextlib import contextmanager

import frappe
from frappe.tests.utils import FrappeTestCase

from home_service.booking.lifecycle import Status
from home_service.tests.factories import make_address, make_booking, make_customer, mark_paid
from home_service.tests.scheduling_fixtures import Corner, apply_settings, at, day_after, forget_settings

HAPPY_PATH = (
	Status.PENDING_PAYMENT,
	Status.PENDING_DISPATCH,
	Status.ASSIGNED,
	Status.ON_THE_WAY,
	Status.ARRIVED,
	Status.IN_SERVICE,
	Status.AWAITING_CONFIRMATION,
	Status.COMPLETED,
)
POLICY = {"free_cancel_hours": 2, "late_cancel_fee_percent": 20, "default_rating": 5}


class CustomerTestCase(FrappeTestCase):
	"""Every test runs in a savepoint; `self.customer` (with `self.user`) lives in `self.corner`,
	where `self.tech` (a technician with a user) works 08:00–18:00 every day."""

	settings: dict | None = None

	@classmethod
	def setUpClass(cls):
		super().setUpClass()  # the class's records are rolled back after its last test
		frappe.set_user("Administrator")
		cls.corner = Corner()
		cls.tech = cls.corner.technician(with_user=True)
		cls.tech_user = frappe.db.get_value("HS Technician", cls.tech, "user")
		cls.customer, cls.user = cls.new_customer()
		cls.address = make_address(cls.customer, cls.corner.lat, cls.corner.lng)
		cls.day = day_after(2)

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.db.savepoint("customer_api_case")  # ... and each test's records after it
		apply_settings({**POLICY, **(self.settings or {})})

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="customer_api_case")
		forget_settings()

	@staticmethod
	def new_customer() -> tuple[str, str]:
		customer = make_customer(with_user=True)
		return customer, frappe.db.get_value("HS Customer", customer, "user")

	@contextmanager
	def as_customer(self, user: str | None = None):
		with self.set_user(user or self.user):
			yield

	def book(self, hour: int = 10, day=None, customer: str | None = None, address: str | None = None):
		"""An unpaid booking made directly (not through the API) in the corner."""
		return make_booking(
			customer=customer or self.customer,
			address=address or self.address,
			items=self.corner.items(),
			window_start=at(day or self.day, hour),
			with_capacity=False,
		)

	def booking_in(self, status: str, hour: int = 10, day=None, customer: str | None = None, **kw):
		"""A booking walked to `status` the way the services would (paid, assigned to self.tech)."""
		technician = kw.pop("technician", self.tech)
		return walk(self.book(hour, day, customer, **kw), status, technician)

	def other_customers_booking(self, status: str = "Pending Payment"):
		customer, _user = self.new_customer()
		address = make_address(customer, self.corner.lat, self.corner.lng)
		self.corner.technician()  # the other booking needs its own capacity
		return self.booking_in(status, hour=12, customer=customer, address=address, technician=None)


def api(path: str, **kwargs):
	"""Call a whitelisted method the way HTTP does: unknown arguments are dropped, types checked."""
	return frappe.call(f"home_service.api.{path}", **kwargs)


def walk(doc, target: str, technician: str | None = None):
	"""Along the happy path to `target`: paid, then assigned to `technician` (or the held one)."""
	for status in HAPPY_PATH[HAPPY_PATH.index(doc.status) + 1 : HAPPY_PATH.index(target) + 1]:
		if status == Status.PENDING_DISPATCH:
			mark_paid(doc)
		if status == Status.ASSIGNED:
			doc.technician = technician or doc.held_technician
		doc.transition_to(status)
	return doc
