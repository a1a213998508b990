"""The technician's inbox over HTTP, as the demo technician (tech@demo.home) with a mini-program
token: a message the platform sends shows up, counts as unread, and is marked read by POST only."""

import secrets

from hs_client import TokenClient, bench_execute

API = "/api/method/home_service.api.technician.inbox"


def ok(response) -> dict:
	assert response.status_code == 200, response.text
	return response.json()["message"]


def test_a_sent_message_is_listed_counted_and_marked_read(technician_token, demo_customer):
	app = TokenClient(technician_token)
	title = f"inbox-{secrets.token_hex(4)}"
	bench_execute("home_service.notifications.inbox.notify", user="tech@demo.home", title=title, body="正文")

	listed = ok(app.get(f"{API}.list_messages", unread_only=1, page_size=50))
	mine = [m for m in listed["items"] if m["title"] == title]
	assert len(mine) == 1 and mine[0]["body"] == "正文" and not mine[0]["is_read"]
	unread = ok(app.get(f"{API}.unread_count"))["unread_count"]
	assert unread == listed["unread_count"] >= 1

	assert app.get(f"{API}.mark_read", message=mine[0]["message"]).status_code in (403, 405)
	marked = ok(app.post(f"{API}.mark_read", json={"message": mine[0]["message"]}))
	assert (marked["is_read"], marked["unread_count"]) == (True, unread - 1)
	assert ok(app.post(f"{API}.mark_all_read"))["unread_count"] == 0
	assert ok(app.get(f"{API}.unread_count"))["unread_count"] == 0

	refused = demo_customer.get(f"{API}.list_messages")
	assert refused.status_code == 403, refused.text
