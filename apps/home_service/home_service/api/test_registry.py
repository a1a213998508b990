# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE
"""Methods declared GET never write: Frappe commits only after POST/PUT/DELETE, so a write behind
GET would be lost, and GET is what caches, prefetchers and retries send freely. Each registered GET
method is called as its user with real records and must leave the transaction without writes.
(That each writing method refuses GET over HTTP is tests/security/test_http_methods.py.)"""

import frappe

from home_service.api.customer import complaints
from home_service.api.openapi import load_api_modules
from home_service.api.registry import PREFIX, REGISTRY, endpoint
from home_service.billing.withdrawals import request_withdrawal
from home_service.booking.lifecycle import Status
from home_service.tests.customer_fixtures import CustomerTestCase
from home_service.tests.earnings_fixtures import fund
from home_service.tests.factories import uid


def writes_during(method, user: str, args: dict) -> int:
	"""INSERT/UPDATE/DELETE statements the whitelisted `method` ran (it must succeed)."""
	with_user = frappe.session.user
	frappe.set_user(user)
	try:
		before = frappe.db.transaction_writes
		method(**args)
		return frappe.db.transaction_writes - before
	finally:
		frappe.set_user(with_user)
		frappe.local.response.pop("filecontent", None)  # openapi.spec answers as a file


class TestReadMethodsDoNotWrite(CustomerTestCase):
	def samples(self) -> dict:
		"""A real record for every argument a GET method requires: a completed job of self.tech for
		self.customer with a complaint, a withdrawal, the corner's item and address."""
		booking = self.booking_in(Status.COMPLETED)
		with self.as_customer():
			complaint = complaints.open_complaint(booking=booking.name, category="Other", description="测试")
		frappe.db.set_value("HS Technician", self.tech, "wechat_openid", "o" + uid())
		fund(self.tech, 100_00)
		return {
			"booking": booking.name,
			"complaint": complaint["complaint"],
			"withdrawal": request_withdrawal(self.tech, "10.00", "WeChat Pay", "read-" + uid()).name,
			"item": self.corner.item,
			"category": frappe.db.get_value("HS Service Item", self.corner.item, "category"),
			"q": frappe.db.get_value("HS Service Item", self.corner.item, "item_name"),
			"address": self.address,
		}

	def user_for(self, ep) -> str:
		if ep.guest:
			return "Guest"
		return self.tech_user if "HS Technician" in ep.roles else self.user

	def test_every_get_method_runs_without_writing(self):
		load_api_modules()
		samples = self.samples()
		reads = [ep for ep in REGISTRY.values() if "GET" in ep.methods]
		self.assertGreater(len(reads), 25)
		for ep in reads:
			path = ep.path.removeprefix(PREFIX)
			required = [p.name for p in ep.params if p.default is p.empty]
			missing = [name for name in required if name not in samples]
			self.assertFalse(missing, f"{path}: add a sample value for {missing} to this test")
			with self.subTest(path):
				args = {name: samples[name] for name in required}
				self.assertEqual(writes_during(frappe.get_attr(path), self.user_for(ep), args), 0)

	def test_a_get_method_that_writes_is_caught(self):
		"""The measurement above is not blind: a GET method that writes is counted."""

		@endpoint(methods=("GET",), tag="test")
		def touches_customer() -> dict:
			frappe.db.set_value("HS Customer", frappe.db.get_value("HS Customer", {}), "notes", "x")
			return {}

		try:
			self.assertEqual(writes_during(touches_customer, "Administrator", {}), 1)
		finally:
			REGISTRY.pop(f"{__name__}.touches_customer", None)
