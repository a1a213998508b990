from home_service.workforce.capability import backfill


def execute():
	"""HS Technician Capability rows for the technicians a site already has."""
	backfill()
