#!/usr/bin/env bash
# Create (or bring up to date) one site of this bench with the app and the demo city:
#   bench-config/site.sh SITE
# setup.sh calls it for the operator's site (HS_SITE) and for the test site (HS_TEST_SITE), which the
# test command uses so that the operator's demo city is never touched by tests. A developer can make
# more sites the same way (e.g. one per parallel branch of work). Idempotent: a site that exists is
# migrated only when the app's model, fixtures or patches changed since its last run.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SITE=${1:?usage: bench-config/site.sh SITE}
mkdir -p "$LOG_DIR"
STEP_LOG="$LOG_DIR/setup-site-$SITE.log"
CURRENT_STEP="site $SITE"
ready="$ROOT/sites/$SITE/.hs_site_ready"
db_admin=(--db-root-username "$HS_DB_ADMIN_USER" --db-root-password "$HS_DB_ADMIN_PASSWORD")
if [ -d "$ROOT/sites/$SITE" ] && [ ! -f "$ready" ]; then
	echo "removing the half-created site $SITE left by an interrupted run"
	bench_cmd drop-site "$SITE" "${db_admin[@]}" --force --no-backup </dev/null >"$STEP_LOG" 2>&1 ||
		rm -rf "${ROOT:?}/sites/$SITE"
fi
if [ ! -f "$ready" ]; then
	# --force: a database left by an earlier checkout at this path (same site, same name) is replaced
	bench_cmd new-site "$SITE" "${db_admin[@]}" --admin-password "$HS_ADMIN_PASSWORD" --force \
		--db-host "$HS_DB_HOST" --db-port "$HS_DB_PORT" --mariadb-user-host-login-scope='%' \
		--install-app home_service </dev/null >"$STEP_LOG" 2>&1
	as_bench touch "$ready"
	fresh_site=1
fi
# migrate only when the app's model, fixtures or patches changed since the last run (the demo's data,
# which the app also ships as JSON, is no model: a change to it needs hs-load-demo, not migrate)
fingerprint=$(cd "$ROOT/apps" && find home_service -type f \( -name '*.json' -o -name patches.txt -o -name hooks.py -o -name '*.csv' \) \
	-not -path 'home_service/home_service/demo/data/*' -print0 | sort -z | xargs -0 cat | sha1sum | cut -d' ' -f1)
stamp="$ROOT/sites/$SITE/.hs_migrated"
if [ -z "${fresh_site:-}" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$fingerprint" ]; then
	bench_cmd --site "$SITE" migrate </dev/null >"$STEP_LOG" 2>&1
fi
echo "$fingerprint" | as_bench tee "$stamp" >/dev/null
bench_cmd --site "$SITE" set-config allow_tests true >/dev/null
# the setup wizard's own stages (country, time zone, currency); a no-op once complete
bench_cmd --site "$SITE" execute frappe.desk.page.setup_wizard.setup_wizard.setup_complete \
	--kwargs '{"args": {"language": "English", "country": "China", "timezone": "Asia/Shanghai", "currency": "CNY"}}' \
	</dev/null >"$STEP_LOG" 2>&1
echo "site $SITE ready"
if [ "$HS_DEMO" = 1 ]; then
	bench_cmd --site "$SITE" execute home_service.demo.loader.load_if_missing </dev/null >"$STEP_LOG" 2>&1
	tail -n 1 "$STEP_LOG"
fi
if [ "$SITE" = "$HS_SITE" ]; then
	# the operator's development site pays on /m through the sandbox WeChat Pay (billing/dev_cashier.py)
	bench_cmd --site "$SITE" execute home_service.billing.dev_cashier.enable </dev/null >"$STEP_LOG" 2>&1
fi
