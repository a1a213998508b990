"""Run pieces of work at the same moment, each in its own database connection, as concurrent requests
would: the Frappe-runner tests of locks and races (holds, withdrawals, offline approvals) share this."""

import threading

import frappe


def race(
	site: str, works: list, refused: tuple = (), refused_as: str = "refused", timeout: float = 180
) -> list:
	"""Start every `works` item at once (a barrier), each committing on success. A work item is a
	callable, or (user, callable) to run as that user (else Administrator). Results, in finishing
	order: what the callable returned; (refused_as, http status) for an exception in `refused`;
	("error", repr) for any other."""
	barrier, results = threading.Barrier(len(works)), []
	threads = [
		threading.Thread(target=_in_own_connection, args=(site, barrier, work, refused, refused_as, results))
		for work in works
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=timeout)
	return results


def _in_own_connection(site, barrier, work, refused, refused_as, results) -> None:
	user, call = work if isinstance(work, tuple) else ("Administrator", work)
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user(user)
	try:
		barrier.wait()
		results.append(call())
		frappe.db.commit()
	except refused as e:
		frappe.db.rollback()
		results.append((refused_as, getattr(e, "http_status_code", None)))
	except Exception as e:
		frappe.db.rollback()
		results.append(("error", repr(e)))
	finally:
		frappe.destroy()
