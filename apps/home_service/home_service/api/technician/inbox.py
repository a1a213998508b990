"""Messages the platform sent me (offers, job changes, qualification reviews, appeals), with an
unread count: the same inbox as the customer's (api/inbox.py), for the technician's login."""

from home_service.api import inbox
from home_service.api.registry import endpoint
from home_service.api.technician.scope import ROLE

TAG = "technician/inbox"


@endpoint(roles=ROLE, tag=TAG)
def list_messages(page: int = 1, page_size: int = 20, unread_only: bool = False) -> dict:
	"""My messages, newest first, and how many are unread."""
	return inbox.list_messages(page, page_size, unread_only)


@endpoint(roles=ROLE, tag=TAG)
def unread_count() -> dict:
	"""How many of my messages are unread (the badge on the app's inbox tab)."""
	return {"unread_count": inbox.unread_count()}


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def mark_read(message: str) -> dict:
	"""Mark one of my messages as read."""
	return inbox.mark_read(message)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def mark_all_read() -> dict:
	"""Mark all my messages as read."""
	return inbox.mark_all_read()
