"""The status categories of an HS Booking, the job that takes a technician's time.

They are defined here, below the booking layer, because scheduling (which bookings hold a technician's
calendar) and the layers above it all read them; booking/lifecycle.py owns the transitions between
them and the invariants, and re-exports these names.
"""


class Status:
	PENDING_PAYMENT = "Pending Payment"
	PENDING_DISPATCH = "Pending Dispatch"
	OFFERED = "Offered"
	ASSIGNED = "Assigned"
	ON_THE_WAY = "On The Way"
	ARRIVED = "Arrived"
	IN_SERVICE = "In Service"
	AWAITING_CONFIRMATION = "Awaiting Confirmation"
	COMPLETED = "Completed"
	CANCELLED = "Cancelled"
	REFUNDED = "Refunded"
	EXCEPTION = "Exception"


S = Status
ALL_STATUSES = (
	S.PENDING_PAYMENT,
	S.PENDING_DISPATCH,
	S.OFFERED,
	S.ASSIGNED,
	S.ON_THE_WAY,
	S.ARRIVED,
	S.IN_SERVICE,
	S.AWAITING_CONFIRMATION,
	S.COMPLETED,
	S.CANCELLED,
	S.REFUNDED,
	S.EXCEPTION,
)
