"""Deterministic generator for the demo city's people and bookings (上海市).

Reads the hand-written areas.json and catalog.json of demo/data/ (shipped in the app's package) and
writes technicians.json, customers.json, bookings.json and manifest.json next to them:

	python3 apps/home_service/home_service/demo/generate.py [--out DIR]
	bench --site home.localhost execute home_service.demo.generate.write_fixtures

Plain Python without Frappe, so it runs anywhere. A fixed seed and a fixed REFERENCE_NOW make the output
byte-identical on every run: all dates are written as seen on REFERENCE_NOW and the loader shifts them by
whole days, so a site loaded on any day shows the last 60 and the next 7 days of bookings.

One module per entity in demo/generator/: common (seed, names, places), technicians, customers,
choices and bookings (what is booked, and the bookings), timeline (each booking's steps).
"""

import argparse
import json
import os
import random
import sys

if __name__ == "__main__" and not __package__:  # run as a script: the app's package is two folders up
	sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)))

from home_service.demo.generator.bookings import make_bookings
from home_service.demo.generator.common import REFERENCE_NOW, SEED, People, fmt
from home_service.demo.generator.customers import make_customers
from home_service.demo.generator.technicians import make_technicians


def default_fixtures_path() -> str:
	return os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def dump_rows(path: str, rows: list[dict]) -> None:
	"""Compact JSON, one record per line: small files and readable diffs."""
	with open(path, "w", encoding="utf-8") as f:
		f.write("[\n")
		f.write(",\n".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows))
		f.write("\n]\n")


def generate(path: str | None = None) -> dict:
	path = path or default_fixtures_path()
	with open(os.path.join(path, "areas.json"), encoding="utf-8") as f:
		areas = json.load(f)
	with open(os.path.join(path, "catalog.json"), encoding="utf-8") as f:
		catalog = json.load(f)
	rng = random.Random(SEED)
	people = People(rng)
	techs = make_technicians(rng, people, areas)
	customers = make_customers(rng, people, areas)
	bookings = make_bookings(rng, catalog, techs, customers)
	return {"technicians": techs, "customers": customers, "bookings": bookings}


def write_fixtures(path: str | None = None) -> None:
	path = path or default_fixtures_path()
	data = generate(path)
	for name, rows in data.items():
		dump_rows(os.path.join(path, f"{name}.json"), rows)
	statuses: dict[str, int] = {}
	for booking in data["bookings"]:
		statuses[booking["status"]] = statuses.get(booking["status"], 0) + 1
	manifest = {
		"reference_now": fmt(REFERENCE_NOW),
		"seed": SEED,
		"generator": "apps/home_service/home_service/demo/generate.py",
		"counts": {name: len(rows) for name, rows in data.items()},
		"booking_statuses": statuses,
	}
	with open(os.path.join(path, "manifest.json"), "w", encoding="utf-8") as f:
		json.dump(manifest, f, ensure_ascii=False, indent="\t")
		f.write("\n")
	print(f"wrote {path}: " + ", ".join(f"{n} {name}" for name, n in manifest["counts"].items()))


if __name__ == "__main__":
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--out", help="fixtures folder (default: demo/data of the package)")
	write_fixtures(parser.parse_args().out)
