"""Why a coupon or points request is refused: readable, translatable, and a 4xx."""

import frappe


class CouponError(frappe.ValidationError):
	"""The coupon cannot be used on this order (422): wrong owner, scope, threshold, dates."""

	http_status_code = 422


class CouponUnavailableError(frappe.ValidationError):
	"""The coupon or template is in a state that refuses the request now (409): used, locked, sold out."""

	http_status_code = 409


class PointsError(frappe.ValidationError):
	"""Not enough points, or more than the order may take (409)."""

	http_status_code = 409
