"""Free booking windows as a customer's mini-program sees them, for the load scripts that book."""

from collections.abc import Callable
from datetime import date, timedelta


def free_windows(
	get_days: Callable[[str, str, str], list | None], items: tuple[str, ...], days: int = 14
) -> list[tuple[str, str]]:
	"""(item, window start) pairs with free capacity over the next `days` days: each window as often
	as its capacity, in rounds over all windows (so that requests sent together ask for different
	windows, and no window is asked more often than it had room at the start).

	`get_days(item, date_from, date_to)` answers `get_slots`' `days` for one item, or None if refused.
	"""
	found = []
	start = date.today() + timedelta(days=1)
	for item in items:
		answer = get_days(item, str(start), str(start + timedelta(days=days - 1))) or []
		found += [(item, w["start"], w["capacity"]) for d in answer for w in d["windows"] if w["available"]]
	most = max((capacity for *_slot, capacity in found), default=0)
	return [(item, start) for k in range(most) for item, start, capacity in found if capacity > k]
