"""Built-in dispatch strategies. Apps add their own through the `hs_dispatch_strategies` hook:
a class taking the rule, with `next_round(booking)` and `on_round_closed(booking)`."""

from frappe import _
from frappe.utils import cint

from home_service.booking.stored_text import stored
from home_service.dispatch import engine


class DispatchStrategy:
	def __init__(self, rule):
		self.rule = rule

	def next_round(self, booking) -> None:
		raise NotImplementedError

	def on_round_closed(self, booking) -> None:
		"""Every offer of the round was rejected or expired."""
		if cint(booking.dispatch_round) >= (cint(self.rule.max_rounds) or 1):
			engine.send_to_queue(
				booking, self.rule, stored("Nobody accepted after {0} rounds", booking.dispatch_round)
			)
		else:
			self.next_round(booking)


class AutoAssign(DispatchStrategy):
	"""Offer to the best candidate; on timeout or rejection, the next best."""

	offers_per_round = 1

	def next_round(self, booking) -> None:
		ranked = engine.ranked_candidates(booking, self.rule)
		if not ranked:
			engine.send_to_queue(booking, self.rule, stored("No free technician matches"))
			return
		engine.make_offers(booking, self.rule, ranked[: self.size()], ranked)

	def size(self) -> int:
		return self.offers_per_round


class Broadcast(AutoAssign):
	"""Offer to the top N at once; the first to accept wins, the other offers are withdrawn."""

	def size(self) -> int:
		return max(cint(self.rule.broadcast_size), 1)


class Manual(DispatchStrategy):
	"""Straight to the dispatcher queue (Assignment Rule → ToDo)."""

	def next_round(self, booking) -> None:
		engine.send_to_queue(
			booking, self.rule, stored("Manual dispatch rule"), engine.ranked_candidates(booking, self.rule)
		)

	def on_round_closed(self, booking) -> None:
		self.next_round(booking)
