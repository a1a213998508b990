"""Row counts of a site's business tables, to prove the test command leaves a site as it found it.

    site_counts.py SITE > before.json           # snapshot
    site_counts.py SITE --compare before.json   # exit 1 and list the tables whose counts changed

Counted: every `tabHS %` table plus the framework tables that tests used to leave junk in (users,
email accounts, files, error log). Exact COUNT(*), not the InnoDB estimate.
"""

import json
import os
import sys

import pymysql

FRAMEWORK_TABLES = (
	"tabUser",
	"tabEmail Account",
	"tabFile",
	"tabError Log",
	"tabNotification",
	"tabWorkflow",
)


def counts(site: str) -> dict[str, int]:
	counter = RowCounter(site)
	try:
		return counter()
	finally:
		counter.close()


class RowCounter:
	"""The counts again and again over one connection, in one query (the fuzz run counts around every
	refused request). Autocommit: each count sees what is committed now, not the first one's snapshot."""

	def __init__(self, site: str):
		root = os.environ.get("ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
		with open(os.path.join(root, "sites", site, "site_config.json")) as f:
			conf = json.load(f)
		self.conn = pymysql.connect(
			host=os.environ.get("HS_DB_HOST", "127.0.0.1"),
			port=int(os.environ.get("HS_DB_PORT", "3306")),
			user=conf["db_name"],
			password=conf["db_password"],
			database=conf["db_name"],
			autocommit=True,
		)
		with self.conn.cursor() as cur:
			cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
			tables = sorted(t for (t,) in cur.fetchall() if t.startswith("tabHS ") or t in FRAMEWORK_TABLES)
		self.query = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM `{t}`" for t in tables)

	def __call__(self) -> dict[str, int]:
		with self.conn.cursor() as cur:
			cur.execute(self.query)
			return {table: count for table, count in cur.fetchall()}

	def close(self) -> None:
		self.conn.close()


def main() -> int:
	site = sys.argv[1]
	now = counts(site)
	if "--compare" not in sys.argv:
		json.dump(now, sys.stdout, indent=1, sort_keys=True)
		return 0
	with open(sys.argv[sys.argv.index("--compare") + 1]) as f:
		before = json.load(f)
	changed = {
		t: (before.get(t), now.get(t)) for t in sorted(set(before) | set(now)) if before.get(t) != now.get(t)
	}
	for table, (old, new) in changed.items():
		print(f"  {table}: {old} -> {new}")
	print(f"{site}: {len(now)} tables counted, {len(changed)} changed")
	return 1 if changed else 0


if __name__ == "__main__":
	sys.exit(main())
