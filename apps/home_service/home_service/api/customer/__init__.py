"""The customer mini-program: one module per resource, every method for the HS Customer role.

profile     my name, gender and avatar
addresses   my service addresses
bookings    slots, quotes, creating, listing and changing my bookings
reviews     rating a completed booking
complaints  after-sales complaints about a booking
uploads     photos for a review or complaint (private, on my own booking)
inbox       messages the platform sent me

Every method resolves records inside the caller's scope (`scope.py`): a name sent by the client is
looked up together with the caller's customer, so another customer's record answers exactly like
one that does not exist (404). Writes are POST only; arguments are an explicit allowlist.
"""
