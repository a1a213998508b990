"""Daily marketing work: idempotent, driven only by what the database says."""

from home_service.marketing.coupons import expire_coupons
from home_service.marketing.points import expire_points


def expire_coupons_and_points() -> None:
	expire_coupons()
	expire_points()
