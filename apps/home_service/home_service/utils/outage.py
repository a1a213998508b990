"""Whether an error means MariaDB or Redis is unreachable (a restart, a network cut): the request may
be retried as it is, so the answer is 503 "try again", not a 500 (see home_service/wsgi.py)."""

import pymysql
import redis

# MariaDB client/server errors that mean "no server to talk to": can't connect (2002, 2003), gone
# away (2006), lost during a query (2013, 2055), shutting down (1053), connection killed (1927)
DB_LOST = frozenset({1053, 1927, 2002, 2003, 2006, 2013, 2055})


def is_outage(exc: BaseException | None) -> bool:
	"""Whether MariaDB or Redis being unreachable caused `exc` (it or an exception it chains)."""
	seen = set()
	while exc is not None and id(exc) not in seen:
		seen.add(id(exc))
		if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
			return True  # BusyLoadingError (a restarted Redis loading its data) is a ConnectionError
		if isinstance(exc, pymysql.err.InterfaceError):
			return True  # a query on a connection pymysql already knows is closed
		if isinstance(exc, pymysql.err.OperationalError) and exc.args and exc.args[0] in DB_LOST:
			return True
		exc = exc.__cause__ or exc.__context__
	return False
