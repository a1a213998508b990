"""An offer to the demo technician that a dispatcher assigns to someone else is withdrawn, over HTTP:
the technician's app (a mini-program token) no longer lists it and accepting it is 409 OFFER_CLOSED
(dispatch/withdraw_offers.py: a booking that leaves Offered, by any path, has no offer left Pending).

The offer is staged on the running site with `bench execute
home_service.tests.technician_fixtures.stage_offers` (a paid booking 30+ days ahead in the demo
technician's area, offered by hand); the dispatcher assigns it from the dispatch board as in Desk.
"""

from hs_client import TokenClient, bench_execute

TECH = "tech@demo.home"
OFFERS = "/api/method/home_service.api.technician.offers"
BOARD = "/api/method/home_service.dispatch.page.hs_dispatch_board.hs_dispatch_board"


def listed(client) -> list[str]:
	response = client.get(f"{OFFERS}.list_offers")
	assert response.status_code == 200, response.text
	return [row["booking"] for row in response.json()["message"]["items"]]


def assign_to_someone_else(dispatcher, booking: dict, mine: str) -> str:
	"""The dispatcher gives the booking to the first technician of its area the board may give it to
	(skilled, free that day); the board refuses the others with 409."""
	board = dispatcher.get(
		f"{BOARD}.get_board", date=booking["window_start"][:10], service_area=booking["service_area"]
	)
	assert board.status_code == 200, board.text
	refused = []
	for technician in board.json()["message"]["technicians"]:
		if technician["name"] == mine:
			continue
		response = dispatcher.post(
			f"{BOARD}.assign", json={"booking": booking["name"], "technician": technician["name"]}
		)
		if response.status_code == 200:
			assert response.json()["message"]["status"] == "Assigned", response.text
			return technician["name"]
		assert response.status_code == 409, response.text
		refused.append(technician["name"])
	raise AssertionError(f"no technician of {booking['service_area']} could take it: {refused}")


def test_an_offer_a_dispatcher_gave_to_someone_else_is_withdrawn(technician_token, dispatcher):
	staged = bench_execute("home_service.tests.technician_fixtures.stage_offers", user=TECH, count=1)
	offer, name = staged["offers"][0]["offer"], staged["offers"][0]["booking"]
	technician = TokenClient(technician_token)
	assert name in listed(technician)

	booking = dispatcher.get(f"/api/resource/HS Booking/{name}").json()["data"]
	assert booking["status"] == "Offered"
	other = assign_to_someone_else(dispatcher, booking, staged["technician"])

	assert name not in listed(technician)
	row = dispatcher.get(f"/api/resource/HS Dispatch Offer/{offer}").json()["data"]
	assert (row["status"], bool(row["responded_on"])) == ("Withdrawn", True)
	taken = technician.post(f"{OFFERS}.accept_offer", json={"offer": offer})
	assert taken.status_code == 409, taken.text
	assert taken.json()["error"]["code"] == "OFFER_CLOSED"
	after = dispatcher.get(f"/api/resource/HS Booking/{name}").json()["data"]
	assert (after["status"], after["technician"]) == ("Assigned", other)
