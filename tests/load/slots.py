"""Free booking windows as a customer's mini-program sees them, for the load scripts that book."""

from collections.abc import Callable
from datetime import date, timedelta


def free_windows(
	get_days: Callable[[str, str, str], list | None], items: tuple[str, ...], days: int = 14
) -> list[tuple[str, str]]:
	"""(item, window start) pairs with free capacity over the next `days` days: each window as often
	as its capacity, in rounds over all windows in time order (so that requests sent together ask for
	different windows, and no window is asked more often than it had room at the start).

	`get_days(item, date_from, date_to)` answers `get_slots`' `days` for one item, or None if refused.
	"""
	offers: dict[str, list[tuple[str, int]]] = {}  # window start -> (item, capacity) for each item
	start = date.today() + timedelta(days=1)
	for item in items:
		answer = get_days(item, str(start), str(start + timedelta(days=days - 1))) or []
		for day in answer:
			for window in day["windows"]:
				if window["available"]:
					offers.setdefault(window["start"], []).append((item, window["capacity"]))
	# items done by the same technicians share a window's capacity: count it once (the largest), as
	# if they shared it, or the later requests would ask for room the earlier ones have taken
	most = max((capacity for found in offers.values() for _item, capacity in found), default=0)
	pairs = []
	for k in range(most):
		for when in sorted(offers):
			room = [item for item, capacity in offers[when] if capacity > k]
			if room:
				pairs.append((room[k % len(room)], when))
	return pairs
