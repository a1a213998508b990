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
# a job on its way, in the order it goes through them: dispatch, the visit, the service
UNDER_WAY = (S.PENDING_DISPATCH, S.OFFERED, S.ASSIGNED, S.ON_THE_WAY, S.ARRIVED, S.IN_SERVICE)
# holding a technician's time until it is closed (scheduling counts these, booking guards them)
ACTIVE = frozenset({*UNDER_WAY, S.AWAITING_CONFIRMATION})
CLOSED = frozenset({S.COMPLETED, S.CANCELLED, S.REFUNDED})
ALL_STATUSES = (
	S.PENDING_PAYMENT,
	*UNDER_WAY,
	S.AWAITING_CONFIRMATION,
	S.COMPLETED,
	S.CANCELLED,
	S.REFUNDED,
	S.EXCEPTION,
)
