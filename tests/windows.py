"""Free arrival windows for the HTTP suites, found without ever skipping: the next 14 days (the
most get_slots answers at once, and the default booking horizon) are asked first; when the demo city
is booked out, a standby technician is staged on the server for the job's skill and area
(home_service.tests.http_staging) and the slots are asked again."""

from datetime import date, timedelta

from hs_client import bench_execute

SLOTS = "/api/method/home_service.api.customer.bookings.get_slots"
DAYS = 14


def available(client, item: str, address: str) -> list[str]:
	start = date.today() + timedelta(days=1)
	response = client.get(
		SLOTS, item=item, address=address, date_from=str(start), date_to=str(start + timedelta(days=DAYS - 1))
	)
	assert response.status_code == 200, response.text[:500]
	return [
		w["start"] for day in response.json()["message"]["days"] for w in day["windows"] if w["available"]
	]


def free_windows(client, item: str, address: str, count: int = 1) -> list[str]:
	"""At least `count` free windows for `item` at the caller's `address`, nearest first."""
	free = available(client, item, address)
	for fresh in (False, True):  # the standby staged before, then a new one
		if len(free) >= count:
			break
		bench_execute(
			"home_service.tests.http_staging.stage_capacity", address=address, item=item, fresh=fresh
		)
		free = available(client, item, address)
	assert len(free) >= count, f"{len(free)} free windows for {item} even with a standby technician"
	return free
