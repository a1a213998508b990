"""Messages the platform sent me (booking updates), with an unread count."""

from home_service.api import inbox
from home_service.api.customer.scope import ROLE
from home_service.api.registry import endpoint

TAG = "customer/inbox"


@endpoint(roles=ROLE, tag=TAG)
def list_messages(page: int = 1, page_size: int = 20, unread_only: bool = False) -> dict:
	"""My messages, newest first, and how many are unread."""
	return inbox.list_messages(page, page_size, unread_only)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def mark_read(message: str) -> dict:
	"""Mark one of my messages as read."""
	return inbox.mark_read(message)


@endpoint(methods=("POST",), roles=ROLE, tag=TAG)
def mark_all_read() -> dict:
	"""Mark all my messages as read."""
	return inbox.mark_all_read()
