# Copyright (c) 2026, Home Service contributors
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from home_service.utils.geo import find_service_area


class HSCustomerAddress(Document):
	def validate(self):
		self.validate_coordinates()
		self.address_display = " ".join(
			part.strip()
			for part in (self.province, self.city, self.district, self.detail_address)
			if part and part.strip()
		)
		self.service_area = find_service_area(self.latitude, self.longitude)
		if not frappe.db.exists(
			"HS Customer Address", {"customer": self.customer, "name": ("!=", self.name)}
		):
			self.is_default = 1

	def on_update(self):
		if self.is_default:
			# one default per customer
			table = frappe.qb.DocType("HS Customer Address")
			(
				frappe.qb.update(table)
				.set(table.is_default, 0)
				.where(table.customer == self.customer)
				.where(table.name != self.name)
				.where(table.is_default == 1)
			).run()

	def on_trash(self):
		# bookings keep their snapshot of the address (contact, address_display, coordinates, area);
		# only the link goes, so a customer may delete an address they have booked at
		booking = frappe.qb.DocType("HS Booking")
		(frappe.qb.update(booking).set(booking.address, None).where(booking.address == self.name)).run()
		if self.is_default:
			successor = frappe.db.get_value(
				"HS Customer Address",
				{"customer": self.customer, "name": ("!=", self.name)},
				"name",
				order_by="creation desc",
			)
			if successor:
				frappe.db.set_value("HS Customer Address", successor, "is_default", 1)

	def validate_coordinates(self):
		if self.latitude and not -90 <= self.latitude <= 90:
			frappe.throw(_("Latitude must be between -90 and 90."))
		if self.longitude and not -180 <= self.longitude <= 180:
			frappe.throw(_("Longitude must be between -180 and 180."))
