// Copyright (c) 2026, Home Service contributors
// Shared by the booking form, the booking list and the dispatch board (loaded on every Desk page).

window.home_service = window.home_service || {}; // plain: this file may load before frappe.provide exists

// indicator colour of each booking status category (booking/lifecycle.py)
home_service.BOOKING_STATUS_COLORS = {
	"Pending Payment": "orange",
	"Pending Dispatch": "orange",
	Offered: "blue",
	Assigned: "purple",
	"On The Way": "cyan",
	Arrived: "cyan",
	"In Service": "purple",
	"Awaiting Confirmation": "blue",
	Completed: "green",
	Cancelled: "gray",
	Refunded: "gray",
	Exception: "red",
};

home_service.booking_status_color = (status) => home_service.BOOKING_STATUS_COLORS[status] || "gray";
